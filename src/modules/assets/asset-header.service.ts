import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { Principal } from '../../core/auth/principal';
import { NotFoundError } from '../../core/errors/app-error';
import { BLOB_STORE, BlobStore } from '../../core/storage/blob-store.port';
import {
  FitsCard,
  ImageDecodeError,
  findImageHdu,
  gunzipFits,
  imageOf,
  isGzip,
} from '../../imaging';
import { AssetHeaderDto, HeaderCardDto } from './asset-header.dto';
import { originalKey } from './asset-keys';
import { AssetLibrary } from './asset-library.service';
import { readBlobBytes } from './blob-bytes';

/** Enough for the headers of any sane FITS file (as the upload probe reads). */
const HEAD_BYTES = 2880 * 1024;

/** The header cards of a FITS asset's image HDU, read from the stored original. */
@Injectable()
export class AssetHeaderService {
  constructor(
    private readonly library: AssetLibrary,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Another user's asset, a missing one and a non-FITS asset are all `404 not_found`. */
  async header(user: Principal, id: string): Promise<AssetHeaderDto> {
    const asset = await this.library.visibleTo(user, id);
    if (asset?.format !== 'fits') {
      throw new NotFoundError('FITS asset');
    }
    const head = Math.min(asset.bytes, HEAD_BYTES);
    const read = (bytes: number) =>
      readBlobBytes(this.blobs, originalKey(id), bytes, { start: 0, end: bytes - 1 });
    // Headers longer than the head (rare) are read from the whole file.
    const hdu = await this.imageHdu(await read(head)).catch(async (err: unknown) => {
      if (!(err instanceof ImageDecodeError) || head === asset.bytes) throw err;
      return this.imageHdu(await read(asset.bytes));
    });
    return { hdu: hdu.index, cards: imageOf(hdu).cards.flatMap(toDto) };
  }

  /** The image HDU found in the first bytes of a plain or gzip-compressed FITS file. */
  private async imageHdu(bytes: Buffer) {
    if (!isGzip(bytes)) return findImageHdu(bytes);
    const limits = { maxPixels: this.config.maxPixels };
    return findImageHdu((await gunzipFits(bytes, limits, 'header')).bytes);
  }
}

/** As astropy lists cards: commentary cards carry their text as the value; blank cards go. */
function toDto(card: FitsCard): HeaderCardDto[] {
  if (card.raw.slice(8, 10) === '= ' || card.value !== null) {
    return [{ key: card.keyword, value: card.value, comment: card.comment ?? '' }];
  }
  const text = card.raw.slice(8).trimEnd();
  return card.keyword === '' && text.trim() === ''
    ? []
    : [{ key: card.keyword, value: text, comment: '' }];
}
