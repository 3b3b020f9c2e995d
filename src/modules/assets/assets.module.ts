import { Module } from '@nestjs/common';
import { AssetLibrary } from './asset-library.service';
import { AssetViewMapper } from './asset-view';
import { AssetsController } from './assets.controller';
import { AssetsService } from './assets.service';

/** Input images: upload, listing, download, delete; and the library other domains load from. */
@Module({
  controllers: [AssetsController],
  providers: [AssetsService, AssetLibrary, AssetViewMapper],
  exports: [AssetLibrary],
})
export class AssetsModule {}
