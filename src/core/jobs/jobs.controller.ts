import {
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Param,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import type { Response } from 'express';
import { AllowSignedLink, CurrentUser } from '../auth/auth.decorators';
import { Principal } from '../auth/principal';
import { ForbiddenError } from '../errors/app-error';
import { sendStream } from '../http/send-stream';
import { JobView } from './job-view';
import { ListJobsQuery, ResultQuery } from './jobs.dto';
import { JobsService } from './jobs.service';

@Controller('api/jobs')
export class JobsController {
  constructor(private readonly jobs: JobsService) {}

  @Get()
  list(@CurrentUser() user: Principal, @Query() query: ListJobsQuery) {
    return this.jobs.list(user, query);
  }

  @Get('stats/overview')
  stats(@CurrentUser() user: Principal) {
    return this.jobs.stats(user);
  }

  @Get(':id')
  get(@CurrentUser() user: Principal, @Param('id') id: string): Promise<JobView> {
    return this.jobs.view(user, id);
  }

  @Post(':id/cancel')
  async cancel(
    @CurrentUser() user: Principal,
    @Param('id') id: string,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { status, job } = await this.jobs.cancel(user, id);
    res.status(status);
    return job;
  }

  @Post(':id/retry')
  @HttpCode(202)
  retry(@CurrentUser() user: Principal, @Param('id') id: string): Promise<JobView> {
    return this.jobs.retry(user, id);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@CurrentUser() user: Principal, @Param('id') id: string): Promise<void> {
    await this.jobs.remove(user, id);
  }

  @Get(':id/result')
  @AllowSignedLink()
  async result(
    @CurrentUser() user: Principal,
    @Param('id') id: string,
    @Query() _query: ResultQuery,
    @Headers('range') range: string | undefined,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    const download = await this.jobs.result(user, id, range, ifNoneMatch);
    switch (download.kind) {
      case 'redirect':
        return res.redirect(303, download.location);
      case 'not-modified':
        res.status(304).setHeader('ETag', download.etag).end();
        return;
      case 'file':
        res.status(download.status).set(download.headers);
        sendStream(res, download.stream);
    }
  }
}

@Controller('api/admin/queue')
export class AdminQueueController {
  constructor(private readonly jobs: JobsService) {}

  @Post('pause')
  @HttpCode(200)
  pause(@CurrentUser() user: Principal) {
    if (!user.admin) throw new ForbiddenError('admins only');
    return this.jobs.setPaused(true);
  }

  @Post('resume')
  @HttpCode(200)
  resume(@CurrentUser() user: Principal) {
    if (!user.admin) throw new ForbiddenError('admins only');
    return this.jobs.setPaused(false);
  }
}
