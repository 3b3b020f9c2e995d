import { Module } from '@nestjs/common';
import { AssetsModule } from '../assets/assets.module';
import { MosaicController } from './mosaic.controller';
import { MosaicHandler } from './mosaic.handler';
import { MosaicService } from './mosaic.service';

/** The `mosaic` job type: grid or offset mosaics as files, or saved as a new FITS asset. */
@Module({
  imports: [AssetsModule],
  controllers: [MosaicController],
  providers: [MosaicService, MosaicHandler],
})
export class MosaicModule {}
