import { JobContext } from '../../core/jobs/job-handler';
import { EncodedImage, ProgressFn } from '../../imaging';
import { AssetLibrary, LoadedAsset } from '../assets/asset-library.service';
import { AssetRecord } from '../assets/asset-store.port';
import { imagingStep } from './imaging-job-errors';

/** Share of a job's progress spent loading inputs from the blob store. */
export const LOAD_SHARE = 20;
/** Progress at which the encoded result is being stored. */
export const STORE_AT = 95;

/** Loads inputs one by one (stage `load`, "channel i of n"), logging what each one is. */
export async function loadInputs(
  ctx: JobContext,
  library: AssetLibrary,
  ids: string[],
  noun: string,
): Promise<LoadedAsset[]> {
  const loaded: LoadedAsset[] = [];
  for (let i = 0; i < ids.length; i += 1) {
    ctx.signal.throwIfAborted();
    ctx.progress(
      (i / ids.length) * LOAD_SHARE,
      'load',
      `loading ${noun} ${i + 1} of ${ids.length}`,
    );
    const input = await library.loadInput(ids[i]);
    const { name, format, width, height, bytes } = input.asset;
    ctx.log(`${noun} ${i + 1}: ${name} (${format} ${width}×${height}, ${bytes} bytes)`);
    loaded.push(input);
  }
  ctx.progress(LOAD_SHARE, 'load', `loaded ${ids.length} ${noun}(s)`);
  return loaded;
}

/** Names a pool progress report in the job's terms: `[stage, message]`. */
export type DescribeProgress = (stage: string, fraction: number) => [string, string];

/** Maps the pool's progress (fraction of the task) onto the job's range after loading. */
export function imagingProgress(ctx: JobContext, describe: DescribeProgress): ProgressFn {
  return (stage, fraction) => {
    const [name, message] = describe(stage, fraction);
    ctx.progress(LOAD_SHARE + fraction * (STORE_AT - LOAD_SHARE), name, message);
  };
}

/** 1-based index of the item a fraction of `span` (the per-item part of a task) belongs to. */
export function itemAt(fraction: number, span: number, n: number): number {
  return Math.min(n, Math.floor((fraction / span) * n) + 1);
}

/**
 * Runs one pool task for a job: the job's signal and mapped progress go in, expected imaging
 * failures become unrecoverable, and the time taken is logged before the `store` stage.
 */
export async function runPoolTask(
  ctx: JobContext,
  label: string,
  describe: DescribeProgress,
  task: (run: { signal: AbortSignal; onProgress: ProgressFn }) => Promise<EncodedImage>,
): Promise<EncodedImage> {
  const started = Date.now();
  const onProgress = imagingProgress(ctx, describe);
  const image = await imagingStep(() => task({ signal: ctx.signal, onProgress }));
  ctx.log(`${label} ${image.width}×${image.height} in ${Date.now() - started} ms`);
  ctx.progress(STORE_AT, 'store', `storing ${image.buffer.length} bytes`);
  return image;
}

/** The records of the inputs that still exist (a missing one fails later, when it is loaded). */
export async function inputRecords(library: AssetLibrary, ids: string[]): Promise<AssetRecord[]> {
  const found = await Promise.all(ids.map((id) => library.get(id)));
  return found.filter((r): r is AssetRecord => r !== null);
}
