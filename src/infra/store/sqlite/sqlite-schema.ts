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
];

export const JSON_COLUMNS = ['payload', 'error', 'result', 'messages'] as const;
export const BOOL_COLUMNS = ['cancelRequested'] as const;
