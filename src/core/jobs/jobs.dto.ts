import { IsEnum, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { PageQuery, SignedLinkQuery } from '../http/query.dto';
import { JobState } from './job.model';

/** Query of `GET /api/jobs`. */
export class ListJobsQuery extends PageQuery {
  @IsOptional()
  @IsEnum(JobState)
  state?: JobState;

  @IsOptional()
  @IsString()
  @Matches(/^[a-z][a-z0-9-]{0,63}$/)
  type?: string;
}

/** Query of `GET /api/jobs/:id/result` (signed links, or a bearer token in the query). */
export class ResultQuery extends SignedLinkQuery {
  @IsOptional()
  @IsString()
  access_token?: string;
}

/** Options every job submission body may carry besides its payload. */
export class SubmissionDto {
  /** Extension: higher runs first (-10..10, default 0). */
  @IsOptional()
  @IsInt()
  @Min(-10)
  @Max(10)
  priority?: number;
}
