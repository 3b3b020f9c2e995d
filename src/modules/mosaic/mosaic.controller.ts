import { Body, Controller, Headers, HttpCode, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { CurrentUser } from '../../core/auth/auth.decorators';
import { Principal } from '../../core/auth/principal';
import { Accepted, accepted } from '../../core/jobs/jobs.service';
import { MosaicExportDto, MosaicSaveDto } from './mosaic.dto';
import { MosaicService } from './mosaic.service';

@Controller('api/mosaic')
export class MosaicController {
  constructor(private readonly mosaics: MosaicService) {}

  @Post('export')
  @HttpCode(202)
  async export(
    @CurrentUser() user: Principal,
    @Body() body: MosaicExportDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Accepted> {
    return accepted(res, await this.mosaics.export(user, body, idempotencyKey));
  }

  @Post('save')
  @HttpCode(202)
  async save(
    @CurrentUser() user: Principal,
    @Body() body: MosaicSaveDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Accepted> {
    return accepted(res, await this.mosaics.save(user, body, idempotencyKey));
  }
}
