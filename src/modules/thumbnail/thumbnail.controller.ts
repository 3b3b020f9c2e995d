import { Body, Controller, Headers, HttpCode, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { CurrentUser } from '../../core/auth/auth.decorators';
import { Principal } from '../../core/auth/principal';
import { Accepted, accepted } from '../../core/jobs/jobs.service';
import { ThumbnailsDto } from './thumbnail.dto';
import { ThumbnailService } from './thumbnail.service';

@Controller('api/thumbnails')
export class ThumbnailController {
  constructor(private readonly thumbnails: ThumbnailService) {}

  @Post()
  @HttpCode(202)
  async submit(
    @CurrentUser() user: Principal,
    @Body() body: ThumbnailsDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Accepted> {
    return accepted(res, await this.thumbnails.submit(user, body, idempotencyKey));
  }
}
