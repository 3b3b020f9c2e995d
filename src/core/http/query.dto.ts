import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

/** Query strings carry text: `"20"` → 20 before validation; anything else is left to fail it. */
export const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;

/** `"true"` / `"false"` → booleans before validation. */
export const toBool = ({ value }: { value: unknown }): unknown =>
  value === 'true' ? true : value === 'false' ? false : value;

/** `limit`, `cursor` and (admins) `all` of every newest-first list route. */
export class PageQuery {
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

  /** Admins: everyone's records. */
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  all?: boolean;
}

/** Query parameters of signed links (`?exp=&sig=`), accepted by download routes. */
export class SignedLinkQuery {
  @IsOptional()
  @IsString()
  exp?: string;

  @IsOptional()
  @IsString()
  sig?: string;
}
