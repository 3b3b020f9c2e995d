import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeJobStoreContract, put } from '../../../../test/contracts/job-store.contract';
import { SqliteJobStore } from './sqlite-job-store.adapter';

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** Two stores on one database file, each with its own connection: two processes. */
async function pair(): Promise<[SqliteJobStore, SqliteJobStore]> {
  const dir = mkdtempSync(join(tmpdir(), 'darkroom-sqlite-'));
  dirs.push(dir);
  const file = join(dir, 'jobs.sqlite');
  const a = new SqliteJobStore(file);
  await a.init();
  const b = new SqliteJobStore(file);
  await b.init();
  return [a, b];
}

describeJobStoreContract(
  'sqlite (memory)',
  async () => {
    const store = new SqliteJobStore(':memory:');
    await store.init();
    return store;
  },
  pair,
);

describe(SqliteJobStore.name, () => {
  describe('init', () => {
    it('should keep records in the file across reopen (migrations run once)', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'darkroom-sqlite-'));
      try {
        const file = join(dir, 'jobs.sqlite');
        const first = new SqliteJobStore(file);
        await first.init();
        const record = await put(first);
        await first.close();
        const second = new SqliteJobStore(file);
        await second.init();
        expect(await second.get(record.id)).toEqual(record);
        expect(await second.countWaiting()).toBe(1);
        await second.close();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
