import { CompositeOptions } from '../composite/composite';
import { CompositeAlignOptions, alignedComposite } from '../composite/composite-align';
import { ImagingError, ImagingErrorCode } from '../errors';
import {
  ChannelHistogram,
  ChannelHistogramOptions,
  channelHistogram,
} from '../histogram/channel-histogram';
import { MosaicOptions, mosaicImages } from '../mosaic/mosaic';
import { WcsMosaicOptions, wcsMosaic } from '../mosaic/wcs-mosaic';
import { ThumbnailOptions, thumbnailImage } from '../thumbnail/thumbnail';
import { EncodedImage, ProgressFn } from '../types';

/** A unit of CPU-heavy work that makes an image. */
export type ImageTask =
  | { kind: 'composite'; inputs: Uint8Array[]; options: CompositeOptions & CompositeAlignOptions }
  | { kind: 'mosaic'; inputs: Uint8Array[]; options: MosaicOptions | WcsMosaicOptions }
  | { kind: 'thumbnail'; input: Uint8Array; options: ThumbnailOptions };

/** A unit of CPU-heavy work, serialisable to a worker thread. */
export type ImagingTask =
  ImageTask | { kind: 'histogram'; input: Uint8Array; options: ChannelHistogramOptions };

/** What crosses back from a worker: a result, or an expected error by code (classes don't survive cloning). */
export type ImagingTaskOutcome =
  | { ok: true; image: EncodedImage }
  | { ok: true; histogram: ChannelHistogram }
  | { ok: false; code: ImagingErrorCode; message: string };

/**
 * Runs a task in the current thread. With `consume` the task's input buffers belong to the run
 * (a worker's own copies): they may be decoded in place and are dropped once used.
 */
export function runImagingTask(
  task: ImageTask,
  onProgress?: ProgressFn,
  consume = false,
): Promise<EncodedImage> {
  switch (task.kind) {
    case 'composite':
      return alignedComposite(task.inputs, task.options, onProgress, consume);
    case 'mosaic':
      return task.options.layout === 'wcs'
        ? wcsMosaic(task.inputs, task.options, onProgress, consume)
        : mosaicImages(task.inputs, task.options, onProgress, consume);
    case 'thumbnail':
      return thumbnailImage(task.input, task.options);
  }
}

/** Runs a task and folds expected errors into the outcome; unexpected ones still throw. */
export async function settleImagingTask(
  task: ImagingTask,
  onProgress?: ProgressFn,
  consume = false,
): Promise<ImagingTaskOutcome> {
  try {
    if (task.kind === 'histogram')
      return { ok: true, histogram: await channelHistogram(task.input, task.options, consume) };
    return { ok: true, image: await runImagingTask(task, onProgress, consume) };
  } catch (error) {
    if (error instanceof ImagingError)
      return { ok: false, code: error.code, message: error.message };
    throw error;
  }
}
