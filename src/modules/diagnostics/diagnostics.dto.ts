import { IsBoolean, IsInt, IsOptional, Max, Min } from 'class-validator';

/** Body of `POST /api/diagnostics/jobs` (API.md). */
export class DiagnosticJobDto {
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

  /** Extension: higher runs first (-10..10, default 0). */
  @IsOptional()
  @IsInt()
  @Min(-10)
  @Max(10)
  priority?: number;
}

export type DiagnosticPayload = Omit<DiagnosticJobDto, 'priority'>;
