import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiProduces } from '@nestjs/swagger';
import type { Response } from 'express';
import { AllowQueryToken, CurrentUser } from '../auth/auth.decorators';
import { SsePrincipal, SseService } from './sse.service';

/** Server-sent events (API.md, "Live progress — SSE"); EventSource sends `?access_token=`. */
@Controller('api/sse')
export class SseController {
  constructor(private readonly sse: SseService) {}

  @Get('jobs/:id')
  @AllowQueryToken()
  @ApiProduces('text/event-stream')
  job(
    @CurrentUser() user: SsePrincipal,
    @Param('id') id: string,
    @Res() res: Response,
  ): Promise<void> {
    return this.sse.streamJob(user, id, res);
  }

  @Get('stats')
  @AllowQueryToken()
  @ApiProduces('text/event-stream')
  stats(@CurrentUser() user: SsePrincipal, @Res() res: Response): Promise<void> {
    return this.sse.streamStats(user, res);
  }
}
