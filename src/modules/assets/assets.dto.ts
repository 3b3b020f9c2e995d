import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import type { ThumbnailFormat } from '../../imaging';

const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;

/** Query parameters of signed links (`?exp=&sig=`), accepted by the content and thumbnail routes. */
export class SignedLinkQuery {
  @IsOptional()
  @IsString()
  exp?: string;

  @IsOptional()
  @IsString()
  sig?: string;
}

/** Query of `GET /api/assets`. */
export class ListAssetsQuery {
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;

  /** Admins: everyone's assets. */
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    value === 'true' ? true : value === 'false' ? false : value,
  )
  @IsBoolean()
  all?: boolean;
}

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
