import type { MessagePort } from 'node:worker_threads';
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
    return await settleImagingTask(
      task,
      port ? (stage, fraction) => port.postMessage({ stage, fraction }) : undefined,
      true, // the message's buffers were transferred or cloned to this thread: ours to consume
    );
  } finally {
    port?.close();
  }
}
