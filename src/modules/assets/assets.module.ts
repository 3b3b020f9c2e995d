import { Module } from '@nestjs/common';
import { AssetHeaderService } from './asset-header.service';
import { AssetHistogramService } from './asset-histogram.service';
import { AssetLibrary } from './asset-library.service';
import { AssetViewMapper } from './asset-view';
import { AssetsController } from './assets.controller';
import { AssetsService } from './assets.service';

/** Input images: upload, listing, download, delete; and the library other domains load from. */
@Module({
  controllers: [AssetsController],
  providers: [
    AssetsService,
    AssetHeaderService,
    AssetHistogramService,
    AssetLibrary,
    AssetViewMapper,
  ],
  exports: [AssetLibrary],
})
export class AssetsModule {}
