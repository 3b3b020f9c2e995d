import { Global, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { availableParallelism } from 'node:os';
import { ImagingPool } from '../../imaging';
import { MemoryBudget } from './memory-budget';

/** Stops the worker threads after the job runners have let go of them. */
@Injectable()
class ImagingPoolLifecycle implements OnApplicationShutdown {
  constructor(private readonly pool: ImagingPool) {}

  async onApplicationShutdown(): Promise<void> {
    await this.pool.close();
  }
}

/** One shared pool of imaging worker threads (about one per core) for every imaging job type. */
@Global()
@Module({
  providers: [
    {
      provide: ImagingPool,
      useFactory: () => new ImagingPool({ maxThreads: Math.max(1, availableParallelism()) }),
    },
    ImagingPoolLifecycle,
    MemoryBudget,
  ],
  exports: [ImagingPool, MemoryBudget],
})
export class ImagingPoolModule {}
