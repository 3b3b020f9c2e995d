import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { JobChangeFeed } from './job-change-feed.service';
import { JobEvents } from './job-events';
import { JobHandlerRegistry } from './job-handler';
import { JobReaper } from './job-reaper.service';
import { JobRunner } from './job-runner.service';
import { JobTracker } from './job-tracker.service';
import { JobViewMapper } from './job-view';
import { AdminQueueController, JobsController } from './jobs.controller';
import { JobsService } from './jobs.service';

/** The job engine. Global so that domain modules can register handlers and submit jobs. */
@Global()
@Module({
  imports: [DiscoveryModule],
  controllers: [JobsController, AdminQueueController],
  providers: [
    JobEvents,
    JobHandlerRegistry,
    JobTracker,
    JobRunner,
    JobChangeFeed,
    JobReaper,
    JobViewMapper,
    JobsService,
  ],
  exports: [JobEvents, JobHandlerRegistry, JobTracker, JobRunner, JobViewMapper, JobsService],
})
export class JobsModule {}
