import { Body, Controller, Post } from '@nestjs/common';
import { CurrentUser } from '../../core/auth/auth.decorators';
import { Principal } from '../../core/auth/principal';
import { Accepted } from '../../core/jobs/jobs.service';
import { IdempotencyKey, Submission } from '../../core/jobs/submission.decorators';
import { ThumbnailsDto } from './thumbnail.dto';
import { ThumbnailService } from './thumbnail.service';

@Controller('api/thumbnails')
export class ThumbnailController {
  constructor(private readonly thumbnails: ThumbnailService) {}

  @Post()
  @Submission()
  submit(
    @CurrentUser() user: Principal,
    @Body() body: ThumbnailsDto,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ): Promise<Accepted> {
    return this.thumbnails.submit(user, body, idempotencyKey);
  }
}
