import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  describeJobStoreContract,
  makeRecord,
} from '../../../../test/contracts/job-store.contract';
import { SqliteJobStore } from './sqlite-job-store.adapter';

describeJobStoreContract('sqlite (memory)', async () => {
  const store = new SqliteJobStore(':memory:');
  await store.init();
  return store;
});

describe(SqliteJobStore.name, () => {
  describe('init', () => {
    it('should keep records in the file across reopen (migrations run once)', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'darkroom-sqlite-'));
      try {
        const file = join(dir, 'jobs.sqlite');
        const first = new SqliteJobStore(file);
        await first.init();
        const record = makeRecord();
        await first.insert(record);
        await first.close();
        const second = new SqliteJobStore(file);
        await second.init();
        expect(await second.get(record.id)).toEqual(record);
        await second.close();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
