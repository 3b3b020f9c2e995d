import { ApiProperty } from '@nestjs/swagger';

/** One header card: keyword, value (string, number, boolean or null) and comment. */
export class HeaderCardDto {
  key: string;

  @ApiProperty({
    oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }],
    nullable: true,
  })
  value: string | number | boolean | null;

  comment: string;
}

/** `GET /api/assets/:id/header`: the cards of the image HDU a FITS asset is decoded from. */
export class AssetHeaderDto {
  /** Index of the HDU in the file (0 = primary). */
  hdu: number;

  /** For a tile-compressed image, its logical image header (as astropy's `CompImageHDU.header`). */
  cards: HeaderCardDto[];
}
