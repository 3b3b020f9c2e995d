import { IsBoolean, IsInt, IsOptional, Max, Min } from 'class-validator';
import { SubmissionDto } from '../../core/jobs/jobs.dto';

/** Body of `POST /api/diagnostics/jobs` (API.md). */
export class DiagnosticJobDto extends SubmissionDto {
  @IsInt()
  @Min(0)
  @Max(600_000)
  durationMs: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  steps?: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10)
  failAttempts?: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(67_108_864)
  resultBytes?: number;

  @IsOptional()
  @IsBoolean()
  cpu?: boolean;
}

export type DiagnosticPayload = Omit<DiagnosticJobDto, 'priority'>;
