import { Injectable } from '@nestjs/common';
import { AuthService } from '../../core/auth/auth.service';
import { ImageFormat, WcsSummary, summarizeWcs } from '../../imaging';
import { AssetRecord } from './asset-store.port';
import { DEFAULT_VARIANT } from './asset-keys';

/** The public `Asset` of the contract (API.md). Links are signed so `<img src>` works. */
export interface AssetView {
  id: string;
  name: string;
  format: ImageFormat;
  width: number;
  height: number;
  channels: number;
  bitDepth: number;
  bytes: number;
  createdAt: string;
  contentUrl: string;
  thumbnailUrl: string | null;
  thumbnailJobId: string | null;
  /** FITS with a celestial WCS: centre, corners, pixel scale, rotation, frame; else null. */
  wcs: WcsSummary | null;
}

/** Maps records to the public shape with fresh signed links. */
@Injectable()
export class AssetViewMapper {
  constructor(private readonly auth: AuthService) {}

  toView(r: AssetRecord): AssetView {
    const ready = r.thumbnails.includes(DEFAULT_VARIANT);
    return {
      id: r.id,
      name: r.name,
      format: r.format,
      width: r.width,
      height: r.height,
      channels: r.channels,
      bitDepth: r.bitDepth,
      bytes: r.bytes,
      createdAt: new Date(r.createdAt).toISOString(),
      contentUrl: this.auth.signLink(`/api/assets/${r.id}/content`),
      thumbnailUrl: ready ? this.auth.signLink(`/api/assets/${r.id}/thumbnail`) : null,
      thumbnailJobId: r.thumbnailJobId,
      wcs: r.wcs ? summarizeWcs(r.wcs, r.width, r.height) : null,
    };
  }
}
