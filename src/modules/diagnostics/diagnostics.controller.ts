import { Body, Controller, Headers, HttpCode, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { CurrentUser } from '../../core/auth/auth.decorators';
import { Principal } from '../../core/auth/principal';
import { Accepted, accepted, JobsService } from '../../core/jobs/jobs.service';
import { DIAGNOSTIC_JOB } from './diagnostic.handler';
import { DiagnosticJobDto } from './diagnostics.dto';

@Controller('api/diagnostics')
export class DiagnosticsController {
  constructor(private readonly jobs: JobsService) {}

  @Post('jobs')
  @HttpCode(202)
  async submit(
    @CurrentUser() user: Principal,
    @Body() body: DiagnosticJobDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Accepted> {
    const { priority, ...payload } = body;
    return accepted(
      res,
      await this.jobs.submit(user, DIAGNOSTIC_JOB, payload, { idempotencyKey, priority }),
    );
  }
}
