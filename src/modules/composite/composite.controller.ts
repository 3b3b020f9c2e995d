import { Body, Controller, Post } from '@nestjs/common';
import { CurrentUser } from '../../core/auth/auth.decorators';
import { Principal } from '../../core/auth/principal';
import { Accepted } from '../../core/jobs/jobs.service';
import { IdempotencyKey, Submission } from '../../core/jobs/submission.decorators';
import { CompositeExportDto } from './composite.dto';
import { CompositeService } from './composite.service';

@Controller('api/composite')
export class CompositeController {
  constructor(private readonly composites: CompositeService) {}

  @Post('export')
  @Submission()
  export(
    @CurrentUser() user: Principal,
    @Body() body: CompositeExportDto,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ): Promise<Accepted> {
    return this.composites.submit(user, body, idempotencyKey);
  }
}
