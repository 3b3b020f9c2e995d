import { Body, Controller, Headers, HttpCode, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { CurrentUser } from '../../core/auth/auth.decorators';
import { Principal } from '../../core/auth/principal';
import { Accepted, accepted } from '../../core/jobs/jobs.service';
import { CompositeExportDto } from './composite.dto';
import { CompositeService } from './composite.service';

@Controller('api/composite')
export class CompositeController {
  constructor(private readonly composites: CompositeService) {}

  @Post('export')
  @HttpCode(202)
  async export(
    @CurrentUser() user: Principal,
    @Body() body: CompositeExportDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Accepted> {
    return accepted(res, await this.composites.submit(user, body, idempotencyKey));
  }
}
