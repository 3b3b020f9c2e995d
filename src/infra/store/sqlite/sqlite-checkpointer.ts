import { Logger } from '@nestjs/common';
import { Worker } from 'node:worker_threads';

/** `Atomics.waitAsync` (Node 16+), not yet in TypeScript's ES2022 library. */
interface AtomicsWithWaitAsync {
  waitAsync(
    array: Int32Array,
    index: number,
    value: number,
  ): { async: false; value: string } | { async: true; value: Promise<string> };
}

/** When and how hard the checkpointer works. */
export interface CheckpointPolicy {
  /** How often a PASSIVE checkpoint runs (ms). */
  everyMs: number;
  /**
   * WAL frames (pages) above which the checkpoint also restarts the log. Under steady writes a
   * PASSIVE checkpoint never catches up with the writer, and the log only restarts once it has.
   */
  restartFrames: number;
}

/** Ten times a second; restart past 4,096 frames (16 MB of 4 KB pages). */
export const DEFAULT_CHECKPOINTS: CheckpointPolicy = { everyMs: 100, restartFrames: 4096 };

/** Shared flags: [0] the checkpointer asks the writer to pause, [1] the writer paused. */
const ASK = 0;
const PAUSED = 1;

/**
 * Runs WAL checkpoints on a connection of its own in a worker thread. SQLite's automatic
 * checkpoint runs inside whichever commit crosses the threshold, copying and fsyncing pages on
 * the event loop; a PASSIVE checkpoint from another thread never blocks the writer.
 *
 * But under writes that never pause, a PASSIVE checkpoint never catches up, and the log only
 * restarts from its beginning once one has: the file would grow without bound. So once the log
 * is past `restartFrames`, the thread catches up with a few more PASSIVE passes, asks this
 * process's writer to pause (a shared flag the writer reads before each transaction; it then
 * waits on the flag, see released()) and runs a RESTART checkpoint, which also holds other
 * processes' writers off while it copies the frames written since the PASSIVE ones. The next
 * write starts the log afresh.
 * At the engine's own write rates the pause lasts a few ms; a writer faster than the disk can
 * checkpoint is held for longer, which is what keeps the log bounded.
 */
const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
workerData.catchUpFrames = Math.max(1, workerData.restartFrames >> 4);
const fs = require('node:fs');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
// How long a RESTART waits for other processes' writers and readers: this process's writer
// pauses meanwhile. Past it, the checkpoint gives up and the next one tries again.
db.pragma('busy_timeout = 100');
const flags = new Int32Array(workerData.flags);
const syncFile = (path) => {
  const fd = fs.openSync(path, 'r');
  try { fs.fsyncSync(fd); } finally { fs.closeSync(fd); }
};
const restart = () => {
  // The pages the PASSIVE checkpoint copied are flushed first: the pause then covers only the
  // few frames written since.
  syncFile(workerData.file);
  syncFile(workerData.file + '-wal');
  Atomics.store(flags, ${PAUSED}, 0); // an answer left from the last round counts for nothing
  Atomics.store(flags, ${ASK}, 1);
  Atomics.wait(flags, ${PAUSED}, 0, 50); // no answer: the writer had nothing to write
  try {
    db.pragma('wal_checkpoint(RESTART)');
  } finally {
    Atomics.store(flags, ${PAUSED}, 0);
    Atomics.store(flags, ${ASK}, 0);
    Atomics.notify(flags, ${ASK}); // the writer waits for this (SqliteCheckpointer.released)
  }
};
const passive = () => db.pragma('wal_checkpoint(PASSIVE)')[0];
const checkpoint = () => {
  try {
    let done = passive();
    if (done.log < workerData.restartFrames) return;
    // Catch up with what was written meanwhile, so that the pause has little left to copy; a
    // writer faster than the disk is paused anyway after a few passes (that bounds the log).
    for (let pass = 0; pass < 8 && done.log - done.checkpointed > workerData.catchUpFrames; pass++) {
      done = passive();
    }
    restart();
  } catch (err) {
    parentPort.postMessage(String(err));
  }
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
  private readonly logger = new Logger(SqliteCheckpointer.name);
  private readonly worker: Worker;
  private readonly flags = new Int32Array(new SharedArrayBuffer(8));
  private readonly exited: Promise<void>;
  private stopping = false;

  /** `onDead` runs if the thread ends before stop(): the log is then no longer checkpointed. */
  constructor(
    file: string,
    policy: CheckpointPolicy = DEFAULT_CHECKPOINTS,
    onDead: () => void = () => undefined,
  ) {
    const driver = require.resolve('better-sqlite3');
    const workerData = { file, ...policy, driver, flags: this.flags.buffer };
    this.worker = new Worker(SOURCE, { eval: true, workerData });
    this.worker.unref();
    this.worker.on('message', (failure: string) => this.logger.warn(`checkpoint: ${failure}`));
    this.worker.on('error', (err) => this.logger.error(`checkpoint thread failed: ${err.message}`));
    this.exited = new Promise((resolve) =>
      this.worker.once('exit', () => {
        Atomics.store(this.flags, ASK, 0); // a thread that died mid-restart holds no writer
        Atomics.notify(this.flags, ASK);
        if (!this.stopping) onDead();
        resolve();
      }),
    );
  }

  /**
   * True while the checkpointer restarts the log: the writer must not begin a transaction now.
   * Asking it also answers the checkpointer that the writer paused.
   */
  holdsWriter(): boolean {
    if (Atomics.load(this.flags, ASK) === 0) return false;
    if (Atomics.exchange(this.flags, PAUSED, 1) === 0) Atomics.notify(this.flags, PAUSED);
    return true;
  }

  /**
   * Resolves once the writer may go on (at once when it is not held). It waits on the shared
   * flag itself, not on a timer: the writer resumes the moment the restart ends.
   */
  released(): Promise<void> {
    const wait = (Atomics as unknown as AtomicsWithWaitAsync).waitAsync(this.flags, ASK, 1);
    return wait.async ? wait.value.then(() => undefined) : Promise.resolve();
  }

  /** Runs a last checkpoint and ends the thread (at once if it already ended). */
  async stop(): Promise<void> {
    this.stopping = true;
    this.worker.ref();
    this.worker.postMessage('stop');
    await this.exited;
  }
}
