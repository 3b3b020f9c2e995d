import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { toInt } from '../../core/http/query.dto';
import { HISTOGRAM_BINS, type HistogramValues } from '../../imaging';

/** Query of `GET /api/assets/:id/histogram`. */
export class HistogramQuery {
  /** Number of equal-width bins between the minimum and the maximum (256). */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(HISTOGRAM_BINS.min)
  @Max(HISTOGRAM_BINS.max)
  bins?: number;
}

const nullableNumber = { type: Number, nullable: true } as const;

/** Exact percentiles of the finite values (numpy `method='linear'`); null when none is finite. */
export class HistogramPercentilesDto {
  /** 0.1 % (the default black point). */
  @ApiProperty(nullableNumber)
  p0_1: number | null;

  /** 0.5 %. */
  @ApiProperty(nullableNumber)
  p0_5: number | null;

  /** 1 %. */
  @ApiProperty(nullableNumber)
  p1: number | null;

  /** The median. */
  @ApiProperty(nullableNumber)
  p50: number | null;

  /** 99 %. */
  @ApiProperty(nullableNumber)
  p99: number | null;

  /** 99.5 %. */
  @ApiProperty(nullableNumber)
  p99_5: number | null;

  /** 99.9 % (the default white point). */
  @ApiProperty(nullableNumber)
  p99_9: number | null;
}

/**
 * `GET /api/assets/:id/histogram`: counts of the raw values a composite channel is made from,
 * in the image's own units. Black/white points (fractions of the finite values) sit at the
 * matching percentiles of these values.
 */
export class AssetHistogramDto {
  assetId: string;

  /**
   * What was counted: `physical` FITS values (BZERO/BSCALE applied, first plane of a cube),
   * `samples` of a grey raster (0..255, 0..65535, float TIFF as stored) or `luminance`: the
   * Rec. 709 luma of a colour raster's samples, in sample units.
   */
  @ApiProperty({ enum: ['physical', 'samples', 'luminance'] })
  values: HistogramValues;

  /** Smallest finite value; null when no value is finite. */
  @ApiProperty(nullableNumber)
  min: number | null;

  /** Largest finite value; null when no value is finite. */
  @ApiProperty(nullableNumber)
  max: number | null;

  /** `(max − min) / counts.length`; 0 when every finite value is equal (all in bin 0). */
  binWidth: number;

  /**
   * Finite values per bin: bin `i` holds `[min + i·binWidth, min + (i+1)·binWidth)`, the last
   * bin also `max` (as numpy.histogram).
   */
  counts: number[];

  /** Finite values counted. */
  count: number;

  /** Values without a finite value (NaN, FITS BLANK, ±Infinity), left out of the counts. */
  nanCount: number;

  percentiles: HistogramPercentilesDto;
}
