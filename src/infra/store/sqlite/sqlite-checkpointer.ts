import { Worker } from 'node:worker_threads';

/**
 * Runs WAL checkpoints on a connection of its own in a worker thread. SQLite's automatic
 * checkpoint runs inside whichever commit crosses the threshold, copying and fsyncing pages on
 * the event loop; a PASSIVE checkpoint from another thread never blocks the writer.
 */
const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 1000');
const checkpoint = () => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (err) { parentPort.postMessage(String(err)); }
};
const timer = setInterval(checkpoint, workerData.everyMs);
parentPort.on('message', (msg) => {
  if (msg !== 'stop') return;
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;

export class SqliteCheckpointer {
  private readonly worker: Worker;

  constructor(file: string, everyMs = 1000) {
    const driver = require.resolve('better-sqlite3');
    this.worker = new Worker(SOURCE, { eval: true, workerData: { file, everyMs, driver } });
    this.worker.unref();
  }

  /** Runs a last checkpoint and ends the thread. */
  async stop(): Promise<void> {
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.ref();
    this.worker.postMessage('stop');
    await exited;
  }
}
