type Env = Readonly<Record<string, string | undefined>>;

/** Same message as app-config's ConfigError (kept here so that the two files import nothing of each other). */
function configError(variable: string, problem: string): Error {
  return new Error(`Invalid configuration: ${variable} ${problem}`);
}

/** A non-negative integer variable; 0 usually means "off". */
function countVar(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 10_000_000) {
    throw configError(name, `must be an integer from 0 to 10000000 (got "${raw}")`);
  }
  return value;
}

/** Operations settings: limits, CORS and logs (see API.md "Configuration" and the README). */
export interface OpsConfig {
  /** Submissions one user may make per minute; 0 = no limit (`RATE_LIMIT_PER_MINUTE`). */
  submissionsPerMinute: number;
  /** Uploads one user may make per minute; 0 = no limit (`UPLOADS_PER_MINUTE`). */
  uploadsPerMinute: number;
  /** Socket.IO connections (logins) one user or address may open per minute (`SOCKET_CONNECTS_PER_MINUTE`). */
  socketConnectsPerMinute: number;
  /** Messages (subscribe, …) one socket may send per 10 s (`SOCKET_MESSAGES_PER_10S`). */
  socketMessagesPer10s: number;
  /** Open SSE streams one user may hold on a node (`SSE_STREAMS_PER_USER`). */
  sseStreamsPerUser: number;
  /** Origins allowed to call the API from a browser; empty = CORS off (`CORS_ORIGINS`). */
  corsOrigins: string[];
  /** pino level (`LOG_LEVEL`): fatal, error, warn, info, debug, trace or silent. */
  logLevel: string;
  /** Human-readable logs (pino-pretty): `NODE_ENV=development` only. */
  prettyLogs: boolean;
  /** Log a sign-in link for the local admin: development, or NODE_ENV unset on a loopback HOST. */
  adminLink: boolean;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

function corsOrigins(env: Env): string[] {
  const origins = (env.CORS_ORIGINS ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter((o) => o !== '');
  for (const origin of origins) {
    if (origin !== '*' && !/^https?:\/\/[^/\s]+$/.test(origin)) {
      throw configError(
        'CORS_ORIGINS',
        `must list origins like https://example.org (got "${origin}")`,
      );
    }
  }
  return origins;
}

function logLevel(env: Env): string {
  const level = (env.LOG_LEVEL || 'info').toLowerCase();
  if (!LOG_LEVELS.includes(level)) {
    throw configError(
      'LOG_LEVEL',
      `must be one of ${LOG_LEVELS.join(', ')} (got "${env.LOG_LEVEL}")`,
    );
  }
  return level;
}

/** Reads and validates the operations settings; throws ConfigError naming the bad variable. */
export function loadOpsConfig(env: Env): OpsConfig {
  const nodeEnv = env.NODE_ENV;
  const host = env.HOST || '127.0.0.1';
  return {
    submissionsPerMinute: countVar(env, 'RATE_LIMIT_PER_MINUTE', 120),
    uploadsPerMinute: countVar(env, 'UPLOADS_PER_MINUTE', 60),
    socketConnectsPerMinute: countVar(env, 'SOCKET_CONNECTS_PER_MINUTE', 120),
    socketMessagesPer10s: countVar(env, 'SOCKET_MESSAGES_PER_10S', 200),
    sseStreamsPerUser: countVar(env, 'SSE_STREAMS_PER_USER', 16),
    corsOrigins: corsOrigins(env),
    logLevel: logLevel(env),
    prettyLogs: nodeEnv === 'development',
    adminLink: nodeEnv === 'development' || (nodeEnv === undefined && LOOPBACK.test(host)),
  };
}
