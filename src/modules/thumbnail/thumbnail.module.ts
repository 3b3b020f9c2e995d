import { Module } from '@nestjs/common';
import { AssetsModule } from '../assets/assets.module';
import { ThumbnailController } from './thumbnail.controller';
import { ThumbnailHandler } from './thumbnail.handler';
import { ThumbnailService } from './thumbnail.service';

/** The `thumbnail` job type: automatic on upload, or on request for many assets. */
@Module({
  imports: [AssetsModule],
  controllers: [ThumbnailController],
  providers: [ThumbnailService, ThumbnailHandler],
})
export class ThumbnailModule {}
