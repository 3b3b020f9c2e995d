import { IsIn, IsNumber, IsOptional, Max, Min } from 'class-validator';
import type { StretchName } from '../../imaging';

export const STRETCHES: readonly StretchName[] = [
  'linear',
  'sqrt',
  'log',
  'asinh',
  'zscale',
  'histeq',
];

/** Stretch fields shared by composite channels and mosaics (API.md ranges; defaults in imaging). */
export class StretchOptionsDto {
  @IsOptional()
  @IsIn(STRETCHES)
  stretch?: StretchName;

  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  blackPoint?: number;

  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  whitePoint?: number;

  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.1)
  @Max(5)
  gamma?: number;

  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.001)
  @Max(1)
  asinhA?: number;
}
