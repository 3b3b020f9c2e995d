/** Ordered migrations; the index of each entry + 1 is its schema version (PRAGMA user_version). */
export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE jobs (
     id TEXT PRIMARY KEY,
     type TEXT NOT NULL,
     owner TEXT NOT NULL,
     state TEXT NOT NULL,
     priority INTEGER NOT NULL,
     payload TEXT NOT NULL,
     progress REAL NOT NULL,
     stage TEXT NOT NULL,
     message TEXT NOT NULL,
     seq INTEGER NOT NULL,
     attempt INTEGER NOT NULL,
     maxAttempts INTEGER NOT NULL,
     stalls INTEGER NOT NULL,
     cancelRequested INTEGER NOT NULL,
     runAfter INTEGER NOT NULL,
     leaseToken TEXT,
     leaseExpiresAt INTEGER,
     error TEXT,
     result TEXT,
     messages TEXT NOT NULL,
     idempotencyKey TEXT,
     requestHash TEXT,
     createdAt INTEGER NOT NULL,
     startedAt INTEGER,
     updatedAt INTEGER NOT NULL,
     finishedAt INTEGER,
     expiresAt INTEGER
   );
   CREATE INDEX jobs_owner_created ON jobs (owner, createdAt DESC, id DESC);
   CREATE INDEX jobs_created ON jobs (createdAt DESC, id DESC);
   CREATE INDEX jobs_state_type ON jobs (state, type, createdAt);
   CREATE INDEX jobs_lease ON jobs (state, leaseExpiresAt);
   CREATE INDEX jobs_expires ON jobs (expiresAt) WHERE expiresAt IS NOT NULL;
   CREATE UNIQUE INDEX jobs_idem ON jobs (owner, idempotencyKey) WHERE idempotencyKey IS NOT NULL;`,
  // Wave 2 (#8): history, system jobs, node, fair claim order, waiting-room counts, change feed.
  `ALTER TABLE jobs ADD COLUMN system INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE jobs ADD COLUMN node TEXT;
   ALTER TABLE jobs ADD COLUMN history TEXT NOT NULL DEFAULT '[]';
   ALTER TABLE jobs ADD COLUMN fairRank INTEGER NOT NULL DEFAULT 0;
   DROP INDEX jobs_state_type;
   CREATE INDEX jobs_claim ON jobs (type, priority DESC, fairRank, createdAt) WHERE state = 'queued';
   CREATE INDEX jobs_node ON jobs (node) WHERE state = 'running';
   CREATE TABLE job_waiting (owner TEXT PRIMARY KEY, n INTEGER NOT NULL);
   INSERT INTO job_waiting (owner, n)
     SELECT owner, COUNT(*) FROM jobs WHERE state = 'queued' GROUP BY owner;
   INSERT INTO job_waiting (owner, n) SELECT '', COUNT(*) FROM jobs WHERE state = 'queued';
   CREATE TRIGGER jobs_waiting_insert AFTER INSERT ON jobs
     WHEN NEW.state = 'queued' AND NEW.system = 0 BEGIN
       INSERT INTO job_waiting (owner, n) VALUES (NEW.owner, 1)
         ON CONFLICT (owner) DO UPDATE SET n = n + 1;
       UPDATE job_waiting SET n = n + 1 WHERE owner = '';
     END;
   CREATE TRIGGER jobs_waiting_enter AFTER UPDATE OF state ON jobs
     WHEN NEW.state = 'queued' AND OLD.state != 'queued' AND NEW.system = 0 BEGIN
       INSERT INTO job_waiting (owner, n) VALUES (NEW.owner, 1)
         ON CONFLICT (owner) DO UPDATE SET n = n + 1;
       UPDATE job_waiting SET n = n + 1 WHERE owner = '';
     END;
   CREATE TRIGGER jobs_waiting_leave AFTER UPDATE OF state ON jobs
     WHEN OLD.state = 'queued' AND NEW.state != 'queued' AND OLD.system = 0 BEGIN
       UPDATE job_waiting SET n = n - 1 WHERE owner IN (OLD.owner, '');
     END;
   CREATE TRIGGER jobs_waiting_delete AFTER DELETE ON jobs
     WHEN OLD.state = 'queued' AND OLD.system = 0 BEGIN
       UPDATE job_waiting SET n = n - 1 WHERE owner IN (OLD.owner, '');
     END;
   CREATE TABLE job_changes (
     position INTEGER PRIMARY KEY AUTOINCREMENT,
     jobId TEXT NOT NULL,
     owner TEXT NOT NULL,
     node TEXT NOT NULL,
     kind TEXT NOT NULL,
     at INTEGER NOT NULL
   );
   CREATE INDEX job_changes_at ON job_changes (at);`,
  `ALTER TABLE jobs ADD COLUMN run INTEGER NOT NULL DEFAULT 0;
   DROP INDEX IF EXISTS jobs_running_lease;`,
  // Fewer index writes per transition: leases are only looked up on running jobs, and the
  // change feed is pruned by position.
  `DROP INDEX jobs_lease;
   CREATE INDEX jobs_lease ON jobs (leaseExpiresAt) WHERE state = 'running';
   DROP INDEX job_changes_at;`,
  // The waiting-room counts are kept by the adapter's own statements, in the same transaction:
  // a trigger program costs about as much as the row write it follows. A node's running jobs are
  // found through jobs_lease (an earlier build dropped jobs_node in migration 4 instead).
  `DROP INDEX IF EXISTS jobs_node;
   DROP TRIGGER jobs_waiting_insert;
   DROP TRIGGER jobs_waiting_enter;
   DROP TRIGGER jobs_waiting_leave;
   DROP TRIGGER jobs_waiting_delete;`,
  // Feed positions without AUTOINCREMENT (its sqlite_sequence row was one more page written per
  // commit): pruning keeps the newest entry, so the next position still counts on from it. An
  // empty feed keeps its place with an entry of no job at the position it had reached.
  `CREATE TABLE job_changes_next (
     position INTEGER PRIMARY KEY,
     jobId TEXT NOT NULL,
     owner TEXT NOT NULL,
     node TEXT NOT NULL,
     kind TEXT NOT NULL,
     at INTEGER NOT NULL
   );
   INSERT INTO job_changes_next SELECT position, jobId, owner, node, kind, at FROM job_changes;
   INSERT INTO job_changes_next (position, jobId, owner, node, kind, at)
     SELECT seq, '', '', '', 'state', 0 FROM sqlite_sequence
     WHERE name = 'job_changes' AND NOT EXISTS (SELECT 1 FROM job_changes);
   DROP TABLE job_changes;
   ALTER TABLE job_changes_next RENAME TO job_changes;`,
];

export const JSON_COLUMNS = ['payload', 'error', 'result', 'messages', 'history'] as const;
export const BOOL_COLUMNS = ['cancelRequested', 'system'] as const;
