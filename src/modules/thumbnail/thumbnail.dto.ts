import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import type { ThumbnailFormat } from '../../imaging';
import { SubmissionDto } from '../../core/jobs/jobs.dto';

/** Body of `POST /api/thumbnails` (API.md). */
export class ThumbnailsDto extends SubmissionDto {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  assetIds: string[];

  @IsOptional()
  @IsInt()
  @Min(32)
  @Max(1024)
  size?: number;

  @IsOptional()
  @IsIn(['webp', 'png', 'jpeg'])
  format?: ThumbnailFormat;
}
