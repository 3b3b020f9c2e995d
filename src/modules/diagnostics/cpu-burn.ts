import { Worker } from 'node:worker_threads';

/** Busy-loops in a worker thread for `ms`, posting each finished step; terminated on abort. */
const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { ms, steps } = workerData;
for (let i = 1; i <= steps; i++) {
  const until = Date.now() + ms / steps;
  let x = 0;
  while (Date.now() < until) x += Math.sqrt(x + i);
  parentPort.postMessage(i);
}
`;

export function burnCpu(
  ms: number,
  steps: number,
  signal: AbortSignal,
  onStep: (step: number) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(SOURCE, { eval: true, workerData: { ms, steps } });
    const onAbort = (): void => {
      void worker.terminate();
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (step: number) => onStep(step));
    worker.on('error', reject);
    worker.on('exit', () => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
  });
}
