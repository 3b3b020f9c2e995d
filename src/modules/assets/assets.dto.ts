import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { PageQuery, SignedLinkQuery, toInt } from '../../core/http/query.dto';
import type { ThumbnailFormat } from '../../imaging';

/** Query of `GET /api/assets`. */
export class ListAssetsQuery extends PageQuery {}

/** Query of `GET /api/assets/:id/thumbnail` (extension: a variant rendered by `POST /api/thumbnails`). */
export class ThumbnailQuery extends SignedLinkQuery {
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(32)
  @Max(1024)
  size?: number;

  @IsOptional()
  @IsIn(['webp', 'png', 'jpeg'])
  format?: ThumbnailFormat;
}

/** Longest accepted asset name. */
export const MAX_NAME_LENGTH = 200;
