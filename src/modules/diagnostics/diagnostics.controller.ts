import { Body, Controller, Post } from '@nestjs/common';
import { CurrentUser } from '../../core/auth/auth.decorators';
import { Principal } from '../../core/auth/principal';
import { Accepted, JobsService } from '../../core/jobs/jobs.service';
import { IdempotencyKey, Submission } from '../../core/jobs/submission.decorators';
import { DIAGNOSTIC_JOB } from './diagnostic.handler';
import { DiagnosticJobDto } from './diagnostics.dto';

@Controller('api/diagnostics')
export class DiagnosticsController {
  constructor(private readonly jobs: JobsService) {}

  @Post('jobs')
  @Submission()
  submit(
    @CurrentUser() user: Principal,
    @Body() body: DiagnosticJobDto,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ): Promise<Accepted> {
    const { priority, ...payload } = body;
    return this.jobs.submit(user, DIAGNOSTIC_JOB, payload, { idempotencyKey, priority });
  }
}
