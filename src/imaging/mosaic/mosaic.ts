import { parseHexColor } from '../composite/color';
import { scaledSize } from '../composite/composite';
import { decodeLuminance, sharesMemory } from '../decode/decode-planes';
import { DecodeLimits, assertPixels, probeImage } from '../decode/probe';
import { DisplayPlanes, EncodeOptions, encodeDisplay } from '../encode/encode-image';
import { InvalidImagingOptionsError } from '../errors';
import { StretchParams, stretchPlane } from '../stretch/stretch-plane';
import { EncodedImage, Plane, ProgressFn } from '../types';
import { CombineMode, addTile, createCanvas, finishCanvas, tilesOverlap } from './mosaic-canvas';
import { MosaicLayout, TilePlacement, TileSize, gridLayout, offsetLayout } from './mosaic-layout';

/** Options of a mosaic; `tiles[i]` (offsets) describes input `i`. */
export interface MosaicOptions extends StretchParams, EncodeOptions, DecodeLimits {
  layout?: 'grid' | 'offsets';
  tiles?: Array<Partial<TilePlacement>>;
  columns?: number;
  gap?: number;
  /** `#rrggbb` painted where no tile covers (PNG/JPEG). Absent: grey output, uncovered = black. */
  background?: string;
  combine?: CombineMode;
  /** Downscale (0 < scale ≤ 1) of tiles, offsets and gap that keeps the job within its budget. */
  scale?: number;
}

/**
 * Mosaics encoded inputs (each as its luminance plane). Sizes come from cheap probes, the canvas
 * is checked against `maxPixels`, then tiles are decoded and added one by one. FITS output keeps
 * linear float32 values with NaN where nothing covers; PNG/JPEG are stretched as a whole.
 * With `consume` the caller gives up `inputs` (a worker's own copies): float32 FITS tiles are
 * decoded in place and each entry is dropped from the array once added.
 */
export async function mosaicImages(
  inputs: Uint8Array[],
  options: MosaicOptions = {},
  onProgress?: ProgressFn,
  consume = false,
): Promise<EncodedImage> {
  if (inputs.length === 0) throw new InvalidImagingOptionsError('mosaic needs at least one tile');
  const sizes: TileSize[] = [];
  for (const input of inputs) sizes.push(await probeImage(input, options));
  const scale = options.scale !== undefined && options.scale < 1 ? options.scale : 1;
  const scaled = sizes.map((t) => (scale < 1 ? scaledSize(t.width, t.height, scale) : t));
  const layout = planLayout(scaled, scale < 1 ? scaledPlacement(options, scale) : options);
  assertPixels(layout.width, layout.height, options);
  const overlapping = tilesOverlap(scaled, layout.placements);
  const canvas = createCanvas(layout.width, layout.height, options.combine ?? 'mean', overlapping);
  for (let i = 0; i < inputs.length; i += 1) {
    onProgress?.('decode', (i / inputs.length) * 0.7);
    const decode = { maxPixels: options.maxPixels, resizeTo: scaled[i] };
    addTile(
      canvas,
      await decodeLuminance(inputs[i], decode, consume && !sharesMemory(inputs, i)),
      layout.placements[i],
    );
    if (consume) inputs[i] = EMPTY;
  }
  const plane = finishCanvas(canvas);
  onProgress?.('stretch', 0.7);
  const display =
    options.format === 'fits' ? { ...plane, planes: [plane.data] } : toDisplay(plane, options);
  onProgress?.('encode', 0.8);
  const result = await encodeDisplay(display, options);
  onProgress?.('encode', 1);
  return result;
}

const EMPTY = new Uint8Array(0);

/** Offsets and gap multiplied by the downscale factor (rounded to whole pixels). */
function scaledPlacement(options: MosaicOptions, scale: number): MosaicOptions {
  const at = (v: number | undefined) => (v === undefined ? v : Math.round(v * scale));
  return {
    ...options,
    gap: at(options.gap),
    tiles: options.tiles?.map((t) => ({ ...t, x: at(t.x), y: at(t.y) })),
  };
}

/** Grid or offsets layout from the options. */
export function planLayout(sizes: TileSize[], options: MosaicOptions): MosaicLayout {
  return options.layout === 'offsets'
    ? offsetLayout(sizes, options.tiles ?? [])
    : gridLayout(sizes, options);
}

/** Stretches the canvas (in place) and paints uncovered pixels with the background. */
function toDisplay(plane: Plane, options: MosaicOptions): DisplayPlanes {
  if (!options.background) {
    return {
      width: plane.width,
      height: plane.height,
      planes: [stretchPlane(plane.data, options, plane.data)],
    };
  }
  const colour = parseHexColor(options.background);
  // stretchPlane keeps NaN, so NaN still marks uncovered pixels afterwards: no mask needed.
  const values = stretchPlane(plane.data, options, plane.data);
  // A grey background needs no colour planes: one plane is a third of the memory.
  const grey = colour[0] === colour[1] && colour[1] === colour[2];
  const planes = grey ? [values] : [values, values.slice(), values.slice()];
  planes.forEach((out, k) => {
    const c = colour[k];
    for (let i = 0; i < out.length; i += 1) if (out[i] !== out[i]) out[i] = c;
  });
  return { width: plane.width, height: plane.height, planes };
}
