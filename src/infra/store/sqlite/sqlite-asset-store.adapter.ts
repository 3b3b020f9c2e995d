import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { AssetListQuery, AssetRecord, AssetStore } from '../../../modules/assets/asset-store.port';

/** Ordered migrations of the `assets` table; version = index + 1, kept in `component_versions`. */
const ASSET_MIGRATIONS: readonly string[] = [
  `CREATE TABLE assets (
     id TEXT PRIMARY KEY,
     owner TEXT NOT NULL,
     name TEXT NOT NULL,
     format TEXT NOT NULL,
     width INTEGER NOT NULL,
     height INTEGER NOT NULL,
     channels INTEGER NOT NULL,
     bitDepth INTEGER NOT NULL,
     bytes INTEGER NOT NULL,
     sha256 TEXT NOT NULL,
     createdAt INTEGER NOT NULL,
     thumbnailJobId TEXT,
     thumbnails TEXT NOT NULL
   );
   CREATE INDEX assets_owner_created ON assets (owner, createdAt DESC, id DESC);
   CREATE INDEX assets_created ON assets (createdAt DESC, id DESC);`,
];

const COMPONENT = 'assets';

const BUSY_RETRY_MS = 2;
const BUSY_GIVE_UP_MS = 10_000;

type Row = Omit<AssetRecord, 'thumbnails'> & { thumbnails: string };

function fromRow(row: Row): AssetRecord {
  return { ...row, thumbnails: JSON.parse(row.thumbnails) as string[] };
}

/**
 * Embedded AssetStore: its own connection to the app's SQLite file (WAL), its own table and
 * schema version (the job store owns `PRAGMA user_version`, so ours lives in a small table).
 * The job store keeps a write transaction open until the end of an event-loop turn (group
 * commit), so a blocking busy_timeout here could stall the loop that would commit it: writes
 * use busy_timeout 0 and retry asynchronously instead. Reads never wait in WAL mode.
 */
export class SqliteAssetStore implements AssetStore {
  private db!: Database.Database;

  constructor(private readonly file: string) {}

  async init(): Promise<void> {
    if (this.file !== ':memory:') mkdirSync(dirname(this.file), { recursive: true });
    this.db = new Database(this.file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 0');
    await this.write(() => this.db.transaction(() => this.migrate()).immediate());
  }

  private migrate(): void {
    this.db.exec(
      'CREATE TABLE IF NOT EXISTS component_versions (component TEXT PRIMARY KEY, version INTEGER NOT NULL)',
    );
    const row = this.db
      .prepare('SELECT version FROM component_versions WHERE component = ?')
      .get(COMPONENT) as { version: number } | undefined;
    for (let v = row?.version ?? 0; v < ASSET_MIGRATIONS.length; v += 1) {
      this.db.exec(ASSET_MIGRATIONS[v]);
      this.db
        .prepare('INSERT OR REPLACE INTO component_versions (component, version) VALUES (?, ?)')
        .run(COMPONENT, v + 1);
    }
  }

  /** Runs a synchronous write, retrying after the job store's turn commits when SQLite is busy. */
  private async write<T>(fn: () => T): Promise<T> {
    const until = Date.now() + BUSY_GIVE_UP_MS;
    for (;;) {
      try {
        return fn();
      } catch (err) {
        if ((err as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() > until) throw err;
        await sleep(BUSY_RETRY_MS);
      }
    }
  }

  async insert(record: AssetRecord): Promise<void> {
    await this.write(() =>
      this.db
        .prepare(
          `INSERT INTO assets (id, owner, name, format, width, height, channels, bitDepth, bytes,
           sha256, createdAt, thumbnailJobId, thumbnails)
         VALUES (@id, @owner, @name, @format, @width, @height, @channels, @bitDepth, @bytes,
           @sha256, @createdAt, @thumbnailJobId, @thumbnails)`,
        )
        .run({ ...record, thumbnails: JSON.stringify(record.thumbnails) }),
    );
  }

  get(id: string): Promise<AssetRecord | null> {
    const row = this.db.prepare('SELECT * FROM assets WHERE id = ?').get(id) as Row | undefined;
    return Promise.resolve(row ? fromRow(row) : null);
  }

  list(query: AssetListQuery): Promise<AssetRecord[]> {
    const where: string[] = [];
    const params: Record<string, unknown> = { limit: query.limit };
    if (query.owner !== undefined) {
      where.push('owner = @owner');
      params.owner = query.owner;
    }
    if (query.cursor) {
      where.push('(createdAt < @cAt OR (createdAt = @cAt AND id < @cId))');
      params.cAt = query.cursor.createdAt;
      params.cId = query.cursor.id;
    }
    const sql = `SELECT * FROM assets ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY createdAt DESC, id DESC LIMIT @limit`;
    const rows = this.db.prepare(sql).all(params) as Row[];
    return Promise.resolve(rows.map(fromRow));
  }

  async setThumbnailJob(id: string, jobId: string): Promise<boolean> {
    const info = await this.write(() =>
      this.db.prepare('UPDATE assets SET thumbnailJobId = ? WHERE id = ?').run(jobId, id),
    );
    return info.changes > 0;
  }

  addThumbnail(id: string, variant: string): Promise<boolean> {
    const add = this.db.transaction(() => {
      const row = this.db.prepare('SELECT thumbnails FROM assets WHERE id = ?').get(id) as
        Pick<Row, 'thumbnails'> | undefined;
      if (!row) return false;
      const variants = JSON.parse(row.thumbnails) as string[];
      if (variants.includes(variant)) return true;
      this.db
        .prepare('UPDATE assets SET thumbnails = ? WHERE id = ?')
        .run(JSON.stringify([...variants, variant]), id);
      return true;
    });
    return this.write(() => add.immediate());
  }

  async delete(id: string): Promise<boolean> {
    const info = await this.write(() => this.db.prepare('DELETE FROM assets WHERE id = ?').run(id));
    return info.changes > 0;
  }

  close(): Promise<void> {
    if (this.db?.open) this.db.close();
    return Promise.resolve();
  }
}
