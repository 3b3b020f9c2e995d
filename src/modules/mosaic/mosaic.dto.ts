import { IntersectionType } from '@nestjs/swagger';
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
  MinLength,
  ValidateNested,
} from 'class-validator';
import type { CombineMode } from '../../imaging';
import { ExportOutputDto, HEX_COLOR } from '../composite/composite.dto';
import { StretchOptionsDto } from '../composite/stretch-options.dto';

const COMBINES: readonly CombineMode[] = ['first', 'last', 'mean', 'sum', 'min', 'max'];
/** Offsets beyond this many pixels cannot fit any canvas under the pixel limit. */
const MAX_OFFSET = 1_048_576;

/** One tile; `x`, `y` (pixels, origin bottom-left) are used by the `offsets` layout. */
export class MosaicTileDto {
  @IsString()
  @MaxLength(100)
  assetId: string;

  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-MAX_OFFSET)
  @Max(MAX_OFFSET)
  x?: number;

  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-MAX_OFFSET)
  @Max(MAX_OFFSET)
  y?: number;
}

/** Body of `POST /api/mosaic/export` (API.md). */
export class MosaicExportDto extends IntersectionType(StretchOptionsDto, ExportOutputDto) {
  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(256)
  @ValidateNested({ each: true })
  @Type(() => MosaicTileDto)
  tiles: MosaicTileDto[];

  /** `wcs` (the default when every tile has a celestial WCS) aligns tiles on the sky. */
  @IsOptional()
  @IsIn(['grid', 'offsets', 'wcs'])
  layout?: 'grid' | 'offsets' | 'wcs';

  @IsOptional()
  @IsIn(['nearest', 'bilinear'])
  interpolation?: 'nearest' | 'bilinear';

  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.001)
  @Max(36000)
  pixelScaleArcsec?: number;

  @IsOptional()
  @IsBoolean()
  backgroundMatch?: boolean;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(64)
  columns?: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1024)
  gap?: number;

  @IsOptional()
  @IsString()
  @Matches(HEX_COLOR, { message: 'background must be #rrggbb' })
  background?: string;

  @IsOptional()
  @IsIn(COMBINES)
  combine?: CombineMode;
}

/** Body of `POST /api/mosaic/save`: a mosaic body plus the new asset's name. */
export class MosaicSaveDto extends MosaicExportDto {
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;
}

/** What the mosaic job runs with; `saveAs` makes it a new FITS asset of that name. */
export type MosaicPayload = Omit<MosaicExportDto, 'priority'> & { saveAs?: string };

/** One tile of `POST /api/mosaic/footprint`. */
export class FootprintTileDto {
  @IsString()
  @MaxLength(100)
  assetId: string;
}

/** Body of `POST /api/mosaic/footprint`. */
export class MosaicFootprintDto {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(256)
  @ValidateNested({ each: true })
  @Type(() => FootprintTileDto)
  tiles: FootprintTileDto[];
}

/** A sky position in degrees. */
export class SkyPointView {
  ra: number;
  dec: number;
}

/** One tile of a footprint answer. */
export class FootprintTileView {
  assetId: string;
  center: SkyPointView;
  /** The tile's four corners on the sky. */
  corners: SkyPointView[];
}

/** The WCS mosaic's output grid (north up, TAN). */
export class FootprintGridView {
  width: number;
  height: number;
  pixelScaleArcsec: number;
  corners: SkyPointView[];
}

/** Answer of `POST /api/mosaic/footprint` (API.md). */
export class MosaicFootprint {
  tiles: FootprintTileView[];
  output: FootprintGridView;
  /** Groups of tiles connected by overlaps: more than 1 means the mosaic has separate pieces. */
  groups: number;
  /** The peak memory the mosaic would need (MB), as the memory budget estimates it. */
  estimateMB: number;
}
