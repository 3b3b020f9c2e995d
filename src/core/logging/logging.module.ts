import { DynamicModule, LogLevel, Module } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { LoggerModule } from 'nestjs-pino';
import type { Options } from 'pino-http';
import { AppConfig } from '../../config/app-config';
import { OpsConfig } from '../../config/ops-config';
import { JobLogListener } from './job-log.listener';
import { REDACT_PATHS, redactUrl } from './redact';

/** A client's `X-Request-Id` is kept when it is short and plain; otherwise a new UUID. */
const CLIENT_ID = /^[\w.:-]{1,64}$/;

function requestId(req: IncomingMessage, res: ServerResponse): string {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && CLIENT_ID.test(given) ? given : randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}

/** Probes and scrapes would drown the request lines. */
const QUIET_PATHS = /^\/(health\/|metrics)/;

function pinoHttpOptions(ops: OpsConfig): Options {
  return {
    level: ops.logLevel,
    genReqId: requestId,
    quietReqLogger: true,
    redact: { paths: REDACT_PATHS, censor: '[Redacted]' },
    serializers: {
      req: (req: { url?: string }) => ({ ...req, url: redactUrl(req.url) }),
    },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
    autoLogging: { ignore: (req) => QUIET_PATHS.test(req.url ?? '') },
    transport: ops.prettyLogs
      ? { target: 'pino-pretty', options: { singleLine: true } }
      : undefined,
  };
}

/**
 * Structured JSON logs (pino; pretty in development): one line per request with its id, every
 * line written while serving a request carries that id, job lines carry job and user ids.
 */
@Module({})
export class LoggingModule {
  static forRoot(ops: OpsConfig): DynamicModule {
    return {
      module: LoggingModule,
      imports: [LoggerModule.forRoot({ pinoHttp: pinoHttpOptions(ops) })],
      providers: [JobLogListener],
    };
  }
}

/** The config with the pino level matching Nest log levels a caller asked for (tests: errors only). */
export function withNestLogLevels(config: AppConfig, levels?: LogLevel[]): AppConfig {
  if (!levels) return config;
  const order: [LogLevel, string][] = [
    ['verbose', 'trace'],
    ['debug', 'debug'],
    ['log', 'info'],
    ['warn', 'warn'],
    ['error', 'error'],
    ['fatal', 'fatal'],
  ];
  const level = order.find(([nest]) => levels.includes(nest))?.[1] ?? 'silent';
  return { ...config, ops: { ...config.ops, logLevel: level } };
}
