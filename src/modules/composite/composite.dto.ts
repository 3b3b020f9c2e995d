import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import type { OutputFormat } from '../../imaging';
import { StretchOptionsDto } from './stretch-options.dto';
import { SubmissionDto } from '../../core/jobs/jobs.dto';

export const HEX_COLOR = /^#[0-9a-fA-F]{6}$/;
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['png', 'jpeg', 'fits'];

/** One channel of a composite. */
export class CompositeChannelDto extends StretchOptionsDto {
  @IsString()
  @MaxLength(100)
  assetId: string;

  @IsString()
  @Matches(HEX_COLOR, { message: 'color must be #rrggbb' })
  color: string;

  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(2)
  weight?: number;
}

/** Output fields shared by composites and mosaics. */
export class ExportOutputDto extends SubmissionDto {
  @IsOptional()
  @IsIn(OUTPUT_FORMATS)
  format?: OutputFormat;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  quality?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(16384)
  width?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(16384)
  height?: number;

  /** Over the memory budget: make the output at the size that fits instead of `422 too_large`. */
  @IsOptional()
  @IsBoolean()
  downscale?: boolean;
}

/** Body of `POST /api/composite/export` (API.md). */
export class CompositeExportDto extends ExportOutputDto {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(8)
  @ValidateNested({ each: true })
  @Type(() => CompositeChannelDto)
  channels: CompositeChannelDto[];

  @IsOptional()
  @IsIn([8, 16])
  bitDepth?: 8 | 16;

  /** `wcs` (the default when every channel has a celestial WCS) aligns channels on the sky. */
  @IsOptional()
  @IsIn(['wcs', 'pixel'])
  align?: 'wcs' | 'pixel';

  @IsOptional()
  @IsBoolean()
  backgroundNeutralize?: boolean;
}

/** What the composite job runs with (the body without submission options). */
export type CompositePayload = Omit<CompositeExportDto, 'priority'>;
