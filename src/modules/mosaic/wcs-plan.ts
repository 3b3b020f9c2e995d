import { AppError } from '../../core/errors/app-error';
import { ErrorCode } from '../../core/errors/error-code';
import {
  ImagingError,
  MemoryEstimate,
  SkyImage,
  WcsMosaicOptions,
  estimateMosaicMB,
  footprintGroups,
  pixelScaleArcsec,
  skyFootprint,
  wcsMosaicGrid,
} from '../../imaging';
import { AssetRecord } from '../assets/asset-store.port';
import type { MosaicExportDto, MosaicFootprint } from './mosaic.dto';

/** Tiles whose records carry a celestial WCS, with the field to blame for those that do not. */
function skyImages(assets: AssetRecord[], field: (i: number) => string): SkyImage[] {
  const missing = assets.flatMap((a, i) => (a.wcs ? [] : [i]));
  if (missing.length > 0) {
    throw new AppError(
      422,
      ErrorCode.unsupported_image,
      'layout "wcs" needs a celestial WCS in every tile',
      missing.map((i) => ({ field: field(i), problem: 'has no celestial WCS' })),
    );
  }
  return assets.map((a) => ({ wcs: a.wcs!, width: a.width, height: a.height }));
}

/** Tiles no single TAN grid can hold (more than a hemisphere apart) are a 422, not a 500. */
function asHttpError<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (!(err instanceof ImagingError)) throw err;
    throw new AppError(422, ErrorCode.unsupported_image, err.message, [
      { field: 'tiles', problem: err.message },
    ]);
  }
}

/** The layout a body asks for; by default `wcs` when every tile has a celestial WCS. */
export function resolveLayout(assets: AssetRecord[], body: Pick<MosaicExportDto, 'layout'>) {
  return body.layout ?? (assets.every((a) => a.wcs) ? 'wcs' : 'grid');
}

/** The WCS mosaic's output grid from the records (headers only), at a downscale `scale`. */
export function wcsGridOf(
  assets: AssetRecord[],
  body: Pick<WcsMosaicOptions, 'pixelScaleArcsec' | 'width' | 'height'>,
  scale = 1,
): SkyImage {
  const tiles = skyImages(assets, (i) => `tiles.${i}.assetId`);
  const { pixelScaleArcsec, width, height } = body;
  return asHttpError(() => wcsMosaicGrid(tiles, { pixelScaleArcsec, width, height, scale }));
}

/**
 * Peak memory of a WCS mosaic: the float32 output and its 16-bit coverage count (1.5 planes),
 * plus per tile pixel its reprojected box (float32, up to twice the tile's area when rotated).
 */
export function estimateWcsMosaic(
  assets: AssetRecord[],
  grid: { width: number; height: number },
  body: Pick<MosaicExportDto, 'format'>,
): MemoryEstimate {
  return estimateMosaicMB(
    assets,
    { width: grid.width, height: grid.height, canvasPlanes: 1.5, perTilePixelBytes: 8 },
    body,
  );
}

/** `POST /api/mosaic/footprint`: tile corners, the output grid, groups and memory estimate. */
export function mosaicFootprint(assets: AssetRecord[]): MosaicFootprint {
  const tiles = skyImages(assets, (i) => `tiles.${i}.assetId`);
  const grid = asHttpError(() => wcsMosaicGrid(tiles, {}));
  const estimate = estimateWcsMosaic(assets, grid, { format: 'fits' });
  return {
    tiles: tiles.map((t, i) => ({
      assetId: assets[i].id,
      ...skyFootprint(t.wcs, t.width, t.height),
    })),
    output: {
      width: grid.width,
      height: grid.height,
      pixelScaleArcsec: pixelScaleArcsec(grid.wcs),
      corners: skyFootprint(grid.wcs, grid.width, grid.height).corners,
    },
    groups: footprintGroups(tiles, grid.wcs),
    estimateMB: Math.ceil(estimate.totalMB),
  };
}
