import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsEnum,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { JobState } from './job.model';

/** Query of `GET /api/jobs`. */
export class ListJobsQuery {
  @IsOptional()
  @IsEnum(JobState)
  state?: JobState;

  @IsOptional()
  @IsString()
  @Matches(/^[a-z][a-z0-9-]{0,63}$/)
  type?: string;

  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value,
  )
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;

  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    value === 'true' ? true : value === 'false' ? false : value,
  )
  @IsBoolean()
  all?: boolean;
}

/** Query of `GET /api/jobs/:id/result` (signed links). */
export class ResultQuery {
  @IsOptional()
  @IsString()
  exp?: string;

  @IsOptional()
  @IsString()
  sig?: string;

  @IsOptional()
  @IsString()
  access_token?: string;
}
