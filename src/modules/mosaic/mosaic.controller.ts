import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CurrentUser } from '../../core/auth/auth.decorators';
import { Principal } from '../../core/auth/principal';
import { Accepted } from '../../core/jobs/jobs.service';
import { IdempotencyKey, Submission } from '../../core/jobs/submission.decorators';
import { MosaicExportDto, MosaicFootprint, MosaicFootprintDto, MosaicSaveDto } from './mosaic.dto';
import { MosaicService } from './mosaic.service';

@Controller('api/mosaic')
export class MosaicController {
  constructor(private readonly mosaics: MosaicService) {}

  @Post('export')
  @Submission()
  export(
    @CurrentUser() user: Principal,
    @Body() body: MosaicExportDto,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ): Promise<Accepted> {
    return this.mosaics.export(user, body, idempotencyKey);
  }

  @Post('save')
  @Submission()
  save(
    @CurrentUser() user: Principal,
    @Body() body: MosaicSaveDto,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ): Promise<Accepted> {
    return this.mosaics.save(user, body, idempotencyKey);
  }

  /** Sky footprints of the tiles and the WCS mosaic's output grid, from headers only. */
  @Post('footprint')
  @HttpCode(200)
  footprint(
    @CurrentUser() user: Principal,
    @Body() body: MosaicFootprintDto,
  ): Promise<MosaicFootprint> {
    return this.mosaics.footprint(user, body);
  }
}
