import Database from 'better-sqlite3';
import { AssetListQuery, AssetRecord, AssetStore } from '../../../modules/assets/asset-store.port';
import { SqliteDatabase } from './sqlite-database';

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
  `ALTER TABLE assets ADD COLUMN wcs TEXT;`,
];

type Row = Omit<AssetRecord, 'thumbnails' | 'wcs'> & { thumbnails: string; wcs: string | null };

function fromRow({ wcs, ...row }: Row): AssetRecord {
  const record: AssetRecord = { ...row, thumbnails: JSON.parse(row.thumbnails) as string[] };
  if (wcs) record.wcs = JSON.parse(wcs) as AssetRecord['wcs'];
  return record;
}

/**
 * Embedded AssetStore on the shared SQLite connection (its own table and schema version); its
 * writes join the job store's group commit. Given a file path, it opens a connection of its own.
 */
export class SqliteAssetStore implements AssetStore {
  private database!: SqliteDatabase;

  constructor(private readonly source: string | SqliteDatabase) {}

  private get db(): Database.Database {
    return this.database.db;
  }

  init(): Promise<void> {
    this.database = typeof this.source === 'string' ? new SqliteDatabase(this.source) : this.source;
    this.database.migrate('assets', ASSET_MIGRATIONS);
    return Promise.resolve();
  }

  private write<T>(fn: () => T): Promise<T> {
    return this.database.write(fn);
  }

  async insert(record: AssetRecord): Promise<void> {
    await this.write(() =>
      this.db
        .prepare(
          `INSERT INTO assets (id, owner, name, format, width, height, channels, bitDepth, bytes,
           sha256, createdAt, thumbnailJobId, thumbnails, wcs)
         VALUES (@id, @owner, @name, @format, @width, @height, @channels, @bitDepth, @bytes,
           @sha256, @createdAt, @thumbnailJobId, @thumbnails, @wcs)`,
        )
        .run({
          ...record,
          thumbnails: JSON.stringify(record.thumbnails),
          wcs: record.wcs ? JSON.stringify(record.wcs) : null,
        }),
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
    return this.write(() => {
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
  }

  async delete(id: string): Promise<boolean> {
    const info = await this.write(() => this.db.prepare('DELETE FROM assets WHERE id = ?').run(id));
    return info.changes > 0;
  }

  async close(): Promise<void> {
    if (typeof this.source === 'string') await this.database?.close();
  }
}
