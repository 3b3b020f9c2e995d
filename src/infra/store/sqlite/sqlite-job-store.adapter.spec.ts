import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  by,
  describeJobStoreContract,
  makeRecord,
  NODE,
  put,
  ROOMY,
} from '../../../../test/contracts/job-store.contract';
import { SqliteDatabase } from './sqlite-database';
import { SqliteJobStore } from './sqlite-job-store.adapter';
import { INSERT_SQL, toValues } from './sqlite-job-rows';
import { MIGRATIONS } from './sqlite-schema';

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A directory removed after the suite. */
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'darkroom-sqlite-'));
  dirs.push(dir);
  return dir;
}

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

  describe('connection', () => {
    it('should refuse a second job store on one connection, and take one after the first closed', async () => {
      const database = new SqliteDatabase(':memory:');
      const first = new SqliteJobStore(database);
      await first.init();
      const second = new SqliteJobStore(database);
      await expect(second.init()).rejects.toThrow('already has a job store');
      await second.close(); // closing the refused one leaves the first attached
      await expect(new SqliteJobStore(database).init()).rejects.toThrow('already has a job store');
      await first.close();
      const next = new SqliteJobStore(database);
      await next.init();
      expect(await put(next)).toBeDefined();
      await database.close();
    });
  });

  describe('changes', () => {
    it("should leave out the reader's own entries but the page's last", async () => {
      const store = new SqliteJobStore(':memory:');
      await store.init();
      const head = await store.feedHead();
      const job = await put(store);
      await store.requestCancel(job.id, by(Date.now(), 'n9'), 60_000);
      await put(store);
      const nodes = (await store.changes(head, 100, NODE)).map((c) => c.node);
      expect(nodes).toEqual(['n9', NODE]);
      expect((await store.changes(head, 100)).map((c) => c.node)).toEqual([NODE, 'n9', NODE]);
      await store.close();
    });

    it("should log a batch's entries in the order of its writes, however many", async () => {
      const store = new SqliteJobStore(':memory:');
      await store.init();
      const head = await store.feedHead();
      const records = Array.from({ length: 150 }, () => makeRecord());
      await Promise.all(records.map((r) => store.insert(r, ROOMY, by()))); // one transaction
      const victim = records[70];
      await Promise.all([
        store.delete(victim.id, by(Date.now(), 'n9')),
        store.requestCancel(records[0].id, by(Date.now(), 'n8'), 60_000),
      ]);
      const feed = await store.changes(head, 1_000);
      expect(feed.map((c) => c.jobId)).toEqual([
        ...records.map((r) => r.id),
        victim.id,
        records[0].id,
      ]);
      expect(feed.slice(-2).map((c) => [c.kind, c.node])).toEqual([
        ['deleted', 'n9'],
        ['state', 'n8'],
      ]);
      const positions = feed.map((c) => c.position);
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
      expect(new Set(positions).size).toBe(152);
      await store.close();
    });

    it('should log nothing of a batch that fails at its end, nor in the next batch', async () => {
      const database = new SqliteDatabase(':memory:');
      const store = new SqliteJobStore(database);
      await store.init();
      const head = await store.feedHead();
      // The counts can be read but not written: the batch fails in its last statements.
      database.db.exec(
        'ALTER TABLE job_waiting RENAME TO job_waiting_away; ' +
          'CREATE VIEW job_waiting AS SELECT * FROM job_waiting_away',
      );
      const lost = makeRecord();
      // (matched by message: better-sqlite3's error class belongs to the first suite's realm)
      await expect(store.insert(lost, ROOMY, by())).rejects.toMatchObject({
        message: expect.stringMatching(/view/),
      });
      database.db.exec('DROP VIEW job_waiting; ALTER TABLE job_waiting_away RENAME TO job_waiting');
      const kept = await put(store);
      expect((await store.changes(head, 10)).map((c) => c.jobId)).toEqual([kept.id]);
      expect(await store.get(lost.id)).toBeNull();
      expect(await store.countWaiting()).toBe(1);
      await database.close();
    });

    it('should log no entry for a write of the batch that fails', async () => {
      const store = new SqliteJobStore(':memory:');
      await store.init();
      await put(store, { idempotencyKey: 'k' });
      const head = await store.feedHead();
      const other = makeRecord();
      const [again] = await Promise.allSettled([
        store.insert(makeRecord({ idempotencyKey: 'k' }), ROOMY, by()),
        store.insert(other, ROOMY, by()),
      ]);
      expect(again.status).toBe('rejected');
      expect((await store.changes(head, 10)).map((c) => c.jobId)).toEqual([other.id]);
      await store.close();
    });
  });

  describe('migration to feed positions without AUTOINCREMENT', () => {
    const schema5 = (file: string) => {
      const old = new SqliteDatabase(file);
      old.migrate('jobs', MIGRATIONS.slice(0, 5));
      const change =
        "INSERT INTO job_changes (jobId, owner, node, kind, at) VALUES (?, 'u', 'n', 'state', ?)";
      for (let i = 1; i <= 42; i++) old.prepared(change).run(`job-${i}`, i);
      return old;
    };

    it('should keep the entries, and count on from the last one', async () => {
      const file = join(tempDir(), 'jobs.sqlite');
      await schema5(file).close();
      const store = new SqliteJobStore(file);
      await store.init();
      expect(await store.changes(40, 10)).toMatchObject([{ position: 41 }, { position: 42 }]);
      const job = await put(store);
      expect(await store.changes(42, 10)).toMatchObject([{ position: 43, jobId: job.id }]);
      await store.close();
    });

    it('should keep the position an emptied feed had reached', async () => {
      const file = join(tempDir(), 'jobs.sqlite');
      const old = schema5(file);
      old.db.exec('DELETE FROM job_changes');
      await old.close();
      const store = new SqliteJobStore(file);
      await store.init();
      expect(await store.feedHead()).toBe(42);
      const job = await put(store);
      expect(await store.changes(42, 10)).toMatchObject([{ position: 43, jobId: job.id }]);
      await store.close();
    });
  });

  describe('migration from trigger-kept waiting counts', () => {
    it('should go on counting the waiting room from the counts the triggers kept', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'darkroom-sqlite-'));
      dirs.push(dir);
      const file = join(dir, 'jobs.sqlite');
      const old = new SqliteDatabase(file);
      old.migrate('jobs', MIGRATIONS.slice(0, 4));
      const records = [makeRecord({ type: 'm' }), makeRecord({ type: 'm' })];
      for (const r of records) old.prepared(INSERT_SQL).run(...toValues(r), 0);
      await old.close();
      const store = new SqliteJobStore(file);
      await store.init();
      const reader = new Database(file, { readonly: true });
      const indexes = reader.prepare("SELECT name FROM sqlite_master WHERE type = 'index'").all();
      reader.close();
      expect(indexes).not.toContainEqual({ name: 'jobs_node' });
      expect(indexes).toContainEqual({ name: 'jobs_lease' });
      expect(await store.countWaiting()).toBe(2);
      await store.claim('m', 1, { ...by(), leaseMs: 30_000 });
      expect(await store.countWaiting()).toBe(1);
      await store.insert(makeRecord({ type: 'm' }), ROOMY, by());
      expect(await store.countWaiting()).toBe(2);
      await store.close();
    });
  });
});
