import { Module } from '@nestjs/common';
import { AssetsModule } from '../assets/assets.module';
import { CompositeController } from './composite.controller';
import { CompositeHandler } from './composite.handler';
import { CompositeService } from './composite.service';

/** The `composite` job type: colour composites of up to 8 channels as PNG, JPEG or FITS. */
@Module({
  imports: [AssetsModule],
  controllers: [CompositeController],
  providers: [CompositeService, CompositeHandler],
})
export class CompositeModule {}
