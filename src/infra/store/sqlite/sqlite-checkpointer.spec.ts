import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CHECKPOINTS, SqliteCheckpointer } from './sqlite-checkpointer';

describe(SqliteCheckpointer.name, () => {
  let dir: string;

  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'darkroom-checkpointer-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('should report a thread that could not open the file, and still stop', async () => {
    let dead!: () => void;
    const died = new Promise<void>((resolve) => (dead = resolve));
    const missing = join(dir, 'no-such-dir', 'db.sqlite');
    const checkpointer = new SqliteCheckpointer(missing, DEFAULT_CHECKPOINTS, dead);
    await died;
    expect(checkpointer.holdsWriter()).toBe(false);
    await checkpointer.stop();
  });
});
