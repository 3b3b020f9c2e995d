import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { loadOpsConfig, OpsConfig } from './ops-config';

/** Concurrency, timeout and attempt policy of one job type. */
export interface JobTypePolicy {
  concurrency: number;
  timeoutMs: number;
  maxAttempts: number;
}

/** The one validated, typed configuration object, built once at boot. */
export interface AppConfig {
  production: boolean;
  port: number;
  host: string;
  dataDir: string;
  mongoUrl?: string;
  s3?: {
    bucket: string;
    endpoint?: string;
    region?: string;
    forcePathStyle: boolean;
    /** Folder in the bucket holding every blob (`S3_PREFIX`); empty = bucket root. */
    prefix: string;
    /** Signed download links redirect to presigned S3 URLs (`S3_PRESIGNED_DOWNLOADS`). */
    presignedDownloads: boolean;
  };
  jwtSecret?: string;
  queueCapacity: number;
  userQueueCapacity: number;
  resultTtlMs: number;
  /** `DIAGNOSTICS=on`, or by default when `NODE_ENV` is development or test. */
  diagnostics: boolean;
  maxUploadBytes: number;
  maxPixels: number;
  /** Memory budget (MB) of one node's imaging jobs together (`IMAGING_MEMORY_MB`). */
  imagingMemoryMB: number;
  /** This process in job histories and leases: `NODE_ID`, else `hostname:pid`. */
  nodeId: string;
  /** Whether `nodeId` was given (a restart under it may take back its own running jobs). */
  stableNodeId: boolean;
  jobs: {
    /** How often the change feed of the store is read (cross-process events and cancels). */
    feedMs: number;
    leaseMs: number;
    heartbeatMs: number;
    pollMs: number;
    shutdownGraceMs: number;
    cancelGraceMs: number;
    reapIntervalMs: number;
    backoffBaseMs: number;
    backoffMaxMs: number;
  };
  /** Limits, CORS and logs (ops-config.ts). */
  ops: OpsConfig;
  /** Per job type overrides, keyed by upper-case type (COMPOSITE_CONCURRENCY …). */
  env: Readonly<Record<string, string | undefined>>;
}

export class ConfigError extends Error {
  constructor(variable: string, problem: string) {
    super(`Invalid configuration: ${variable} ${problem}`);
  }
}

type Env = Readonly<Record<string, string | undefined>>;

export function intVar(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(name, `must be an integer from ${min} to ${max} (got "${raw}")`);
  }
  return value;
}

function boolVar(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['on', 'true', '1', 'yes'].includes(raw)) return true;
  if (['off', 'false', '0', 'no'].includes(raw)) return false;
  throw new ConfigError(name, `must be on/off or true/false (got "${env[name]}")`);
}

function s3Prefix(env: Env): string {
  const segments = (env.S3_PREFIX ?? '').split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '.' || s === '..' || /[\\\0]/.test(s))) {
    throw new ConfigError('S3_PREFIX', 'must be a folder path without . or .. segments');
  }
  return segments.join('/');
}

function s3Config(env: Env): AppConfig['s3'] {
  const bucket = env.S3_BUCKET;
  if (!bucket) return undefined;
  return {
    bucket,
    endpoint: env.S3_ENDPOINT || undefined,
    region: env.S3_REGION || undefined,
    forcePathStyle: boolVar(env, 'S3_FORCE_PATH_STYLE', false),
    prefix: s3Prefix(env),
    presignedDownloads: boolVar(env, 'S3_PRESIGNED_DOWNLOADS', false),
  };
}

function mongoUrl(env: Env): string | undefined {
  const url = env.MONGO_URL;
  if (!url) return undefined;
  if (!/^mongodb(\+srv)?:\/\//.test(url))
    throw new ConfigError('MONGO_URL', 'must be a mongodb:// URL');
  return url;
}

function jobsConfig(env: Env): AppConfig['jobs'] {
  return {
    leaseMs: intVar(env, 'JOB_LEASE_MS', 30_000, 500, 3_600_000),
    heartbeatMs: intVar(env, 'JOB_HEARTBEAT_MS', 0, 0, 600_000),
    pollMs: intVar(env, 'JOB_POLL_MS', 1_000, 50, 60_000),
    feedMs: intVar(env, 'JOB_FEED_MS', 100, 10, 10_000),
    shutdownGraceMs: intVar(env, 'SHUTDOWN_GRACE_MS', 10_000, 0, 600_000),
    cancelGraceMs: intVar(env, 'CANCEL_GRACE_MS', 500, 0, 60_000),
    reapIntervalMs: intVar(env, 'REAP_INTERVAL_MS', 60_000, 100, 3_600_000),
    backoffBaseMs: intVar(env, 'BACKOFF_BASE_MS', 1_000, 0, 3_600_000),
    backoffMaxMs: intVar(env, 'BACKOFF_MAX_MS', 300_000, 0, 86_400_000),
  };
}

/** Reads and validates the environment; throws ConfigError naming the bad variable. */
export function loadConfig(env: Env = process.env): AppConfig {
  const production = env.NODE_ENV === 'production';
  const jobs = jobsConfig(env);
  if (jobs.heartbeatMs === 0) jobs.heartbeatMs = Math.max(100, Math.floor(jobs.leaseMs / 3));
  if (jobs.heartbeatMs >= jobs.leaseMs) {
    throw new ConfigError('JOB_HEARTBEAT_MS', 'must be shorter than JOB_LEASE_MS');
  }
  return {
    production,
    port: intVar(env, 'PORT', 3000, 0, 65535),
    host: env.HOST || '127.0.0.1',
    dataDir: resolve(env.DATA_DIR || './data'),
    mongoUrl: mongoUrl(env),
    s3: s3Config(env),
    jwtSecret: env.AUTH_JWT_SECRET || undefined,
    queueCapacity: intVar(env, 'QUEUE_CAPACITY', 200, 1, 10_000_000),
    userQueueCapacity: intVar(env, 'USER_QUEUE_CAPACITY', 50, 1, 10_000_000),
    resultTtlMs: intVar(env, 'RESULT_TTL_HOURS', 24, 0, 24 * 365) * 3_600_000,
    diagnostics: boolVar(env, 'DIAGNOSTICS', ['development', 'test'].includes(env.NODE_ENV ?? '')),
    maxUploadBytes: intVar(env, 'MAX_UPLOAD_MB', 512, 1, 65_536) * 1024 * 1024,
    maxPixels: intVar(env, 'MAX_PIXELS', 268_402_689, 1, 2 ** 31),
    imagingMemoryMB: intVar(env, 'IMAGING_MEMORY_MB', 2048, 64, 1_048_576),
    nodeId: env.NODE_ID || `${hostname()}:${process.pid}`,
    stableNodeId: Boolean(env.NODE_ID),
    jobs,
    ops: loadOpsConfig(env),
    env,
  };
}

/** Policy for one job type: defaults, overridden by `<TYPE>_CONCURRENCY` etc. */
export function jobTypePolicy(
  config: AppConfig,
  type: string,
  defaults: JobTypePolicy,
): JobTypePolicy {
  const prefix = type.toUpperCase().replace(/[^A-Z0-9]/g, '_');
  return {
    concurrency: intVar(config.env, `${prefix}_CONCURRENCY`, defaults.concurrency, 1, 1024),
    timeoutMs:
      intVar(config.env, `${prefix}_TIMEOUT_S`, defaults.timeoutMs / 1000, 1, 86_400) * 1000,
    maxAttempts: intVar(config.env, `${prefix}_MAX_ATTEMPTS`, defaults.maxAttempts, 1, 100),
  };
}

export const APP_CONFIG = Symbol('APP_CONFIG');
