import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { MessageChannel, type Transferable } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { CompositeOptions } from '../composite/composite';
import { CompositeAlignOptions } from '../composite/composite-align';
import { DecodeLimits, ImageInfo, probeImage } from '../decode/probe';
import {
  ImageDecodeError,
  ImageTooLargeError,
  ImagingError,
  InvalidImagingOptionsError,
} from '../errors';
import { ChannelHistogram, ChannelHistogramOptions } from '../histogram/channel-histogram';
import { MosaicOptions } from '../mosaic/mosaic';
import { WcsMosaicOptions } from '../mosaic/wcs-mosaic';
import { ThumbnailOptions } from '../thumbnail/thumbnail';
import { EncodedImage, ProgressFn } from '../types';
import { ImagingTask, ImagingTaskOutcome, settleImagingTask } from './imaging-tasks';
import type { ImagingWorkerMessage } from './imaging.worker';

/** Pool settings. */
export interface ImagingPoolOptions {
  /** Worker threads (CPU-bound work: about the number of cores). */
  maxThreads: number;
  /** Compiled worker entry; defaults to `imaging.worker.js` beside this file. */
  workerFile?: string;
}

/** Per-call options. */
export interface ImagingRunOptions {
  /** Aborting rejects the call; a running worker thread is terminated (piscina). */
  signal?: AbortSignal;
  /** Progress from inside the worker: stage name and fraction 0..1 of the task. */
  onProgress?: ProgressFn;
}

/**
 * Runs composites, mosaics, thumbnails and histograms in worker threads so pixel loops never
 * block the event loop. Input buffers are transferred, not copied, when they own their whole
 * ArrayBuffer: the caller must not use them afterwards. When no compiled worker file exists (running the
 * TypeScript sources, e.g. under jest) the pool runs tasks in-process: `mode` says which.
 */
export class ImagingPool {
  readonly mode: 'threads' | 'in-process';
  private readonly piscina?: Piscina;

  constructor(options: ImagingPoolOptions) {
    const filename = options.workerFile ?? join(__dirname, 'imaging.worker.js');
    this.mode = existsSync(filename) ? 'threads' : 'in-process';
    if (this.mode === 'threads') {
      this.piscina = new Piscina({
        filename,
        maxThreads: options.maxThreads,
        minThreads: 0,
        idleTimeout: 30_000,
      });
    }
  }

  /** Colour composite; `inputs[i]` is the encoded image of `options.channels[i]`. */
  composite(
    inputs: Uint8Array[],
    options: CompositeOptions & CompositeAlignOptions,
    run: ImagingRunOptions = {},
  ): Promise<EncodedImage> {
    return this.execute({ kind: 'composite', inputs, options }, inputs, run);
  }

  /** Mosaic; `inputs[i]` is the encoded image of tile `i`. */
  mosaic(
    inputs: Uint8Array[],
    options: MosaicOptions | WcsMosaicOptions,
    run: ImagingRunOptions = {},
  ): Promise<EncodedImage> {
    return this.execute({ kind: 'mosaic', inputs, options }, inputs, run);
  }

  /** Thumbnail of one encoded image. */
  thumbnail(
    input: Uint8Array,
    options: ThumbnailOptions = {},
    run: ImagingRunOptions = {},
  ): Promise<EncodedImage> {
    return this.execute({ kind: 'thumbnail', input, options }, [input], run);
  }

  /** Histogram of the raw values of one encoded image, decoded as a composite channel. */
  async histogram(
    input: Uint8Array,
    options: ChannelHistogramOptions,
    run: ImagingRunOptions = {},
  ): Promise<ChannelHistogram> {
    const outcome = await this.settle({ kind: 'histogram', input, options }, [input], run);
    if (!outcome.ok) throw rebuildError(outcome.code, outcome.message);
    if (!('histogram' in outcome)) throw new Error('histogram task answered an image');
    return outcome.histogram;
  }

  /** Header-only probe; cheap, so it runs on the calling thread and never detaches `input`. */
  probe(input: Uint8Array, limits: DecodeLimits = {}): Promise<ImageInfo> {
    return probeImage(input, limits);
  }

  /** Stops the worker threads. */
  async close(): Promise<void> {
    await this.piscina?.destroy();
  }

  private async settle(
    task: ImagingTask,
    inputs: Uint8Array[],
    run: ImagingRunOptions,
  ): Promise<ImagingTaskOutcome> {
    run.signal?.throwIfAborted();
    const outcome = this.piscina
      ? await this.inWorker(this.piscina, task, inputs, run)
      : await settleImagingTask(task, run.onProgress);
    run.signal?.throwIfAborted();
    return outcome;
  }

  private async execute(
    task: ImagingTask,
    inputs: Uint8Array[],
    run: ImagingRunOptions,
  ): Promise<EncodedImage> {
    const outcome = await this.settle(task, inputs, run);
    if (!outcome.ok) throw rebuildError(outcome.code, outcome.message);
    if (!('image' in outcome)) throw new Error('image task answered a histogram');
    return {
      ...outcome.image,
      buffer: Buffer.from(
        outcome.image.buffer.buffer,
        outcome.image.buffer.byteOffset,
        outcome.image.buffer.byteLength,
      ),
    };
  }

  private async inWorker(
    piscina: Piscina,
    task: ImagingTask,
    inputs: Uint8Array[],
    run: ImagingRunOptions,
  ): Promise<ImagingTaskOutcome> {
    const channel = run.onProgress ? new MessageChannel() : undefined;
    const onProgress = run.onProgress;
    if (channel && onProgress)
      channel.port1.on('message', (m: { stage: string; fraction: number }) =>
        onProgress(m.stage, m.fraction),
      );
    const message: ImagingWorkerMessage = { task, port: channel?.port2 };
    const transferList: Transferable[] = [
      ...transferable(inputs),
      ...(channel ? [channel.port2] : []),
    ];
    try {
      return (await piscina.run(message, {
        transferList,
        signal: run.signal,
      })) as ImagingTaskOutcome;
    } finally {
      channel?.port1.close();
    }
  }
}

/** ArrayBuffers that can move to the worker: whole, distinct, not Node's shared small-buffer pool. */
function transferable(inputs: Uint8Array[]): ArrayBuffer[] {
  const seen = new Set<ArrayBufferLike>();
  for (const input of inputs) {
    const whole = input.byteOffset === 0 && input.byteLength === input.buffer.byteLength;
    if (whole && input.buffer instanceof ArrayBuffer) seen.add(input.buffer);
  }
  return [...seen] as ArrayBuffer[];
}

function rebuildError(code: ImagingError['code'], message: string): ImagingError {
  switch (code) {
    case 'unsupported_image':
      return new ImageDecodeError(message);
    case 'invalid_options':
      return new InvalidImagingOptionsError(message);
    case 'image_too_large':
      return Object.assign(new ImageTooLargeError(0, 0), { message });
  }
}
