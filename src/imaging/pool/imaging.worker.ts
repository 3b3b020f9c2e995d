import type { MessagePort } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { ImagingTask, ImagingTaskOutcome, settleImagingTask } from './imaging-tasks';

/** Message the pool sends: the task and, when progress is wanted, a port to report it on. */
export interface ImagingWorkerMessage {
  task: ImagingTask;
  port?: MessagePort;
}

/** Piscina entry point (default export): runs one task in a worker thread. */
export default async function imagingWorker(
  message: ImagingWorkerMessage,
): Promise<ImagingTaskOutcome> {
  const { task, port } = message;
  try {
    return movedResult(
      await settleImagingTask(
        task,
        port ? (stage, fraction) => port.postMessage({ stage, fraction }) : undefined,
        true, // the message's buffers were transferred or cloned to this thread: ours to consume
      ),
    );
  } finally {
    port?.close();
  }
}

/**
 * Hands a result's bytes back by transfer instead of a copy (a WCS mosaic's FITS can be hundreds
 * of MB) when they own their whole ArrayBuffer; the pool sees the same outcome either way.
 */
function movedResult(outcome: ImagingTaskOutcome): ImagingTaskOutcome {
  if (!outcome.ok || !('image' in outcome)) return outcome;
  const bytes = outcome.image.buffer;
  if (bytes.byteOffset !== 0 || bytes.byteLength !== bytes.buffer.byteLength) return outcome;
  const movable = {
    [Piscina.transferableSymbol]: [bytes.buffer],
    [Piscina.valueSymbol]: outcome,
  };
  type Movable = Parameters<typeof Piscina.move>[0];
  return Piscina.move(movable as unknown as Movable) as unknown as ImagingTaskOutcome;
}
