import { Inject, Injectable } from '@nestjs/common';
import { InjectThrottlerStorage, ThrottlerStorage } from '@nestjs/throttler';
import type { IoAdapter } from '@nestjs/platform-socket.io';
import type { Namespace, Server, Socket } from 'socket.io';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { AuthService } from '../auth/auth.service';
import { ErrorCode } from '../errors/error-code';
import { MetricsRegistry } from '../metrics/metrics.registry';
import { SocketCensus } from '../metrics/socket-census';

const MINUTE_MS = 60_000;
const FLOOD_WINDOW_MS = 10_000;

/** A socket action's acknowledgement when the socket sends too much (API.md ack shape). */
export const FLOODED_ACK = {
  ok: false,
  error: { code: ErrorCode.rate_limited, message: 'too many messages; slow down' },
} as const;

/**
 * Limits of the `/jobs` namespace, installed on the Socket.IO server before the gateway's own
 * middleware: connections (logins) per user or address per minute, through the throttler's
 * storage (`connect_error` "rate_limited"), and messages per socket per 10 s (the ack answers
 * `rate_limited`). Also keeps the connected-sockets census for /metrics.
 */
@Injectable()
export class SocketLimits {
  private readonly connectsPerMinute: number;
  private readonly messagesPer10s: number;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @InjectThrottlerStorage() private readonly storage: ThrottlerStorage,
    private readonly auth: AuthService,
    private readonly metrics: MetricsRegistry,
    private readonly census: SocketCensus,
  ) {
    this.connectsPerMinute = config.ops.socketConnectsPerMinute;
    this.messagesPer10s = config.ops.socketMessagesPer10s;
  }

  /** The adapter, installing these limits on every Socket.IO server it creates. */
  wrap<T extends IoAdapter>(adapter: T): T {
    const create = adapter.createIOServer.bind(adapter);
    adapter.createIOServer = (port, options) => {
      const server = create(port, options) as Server;
      this.attach(server);
      return server;
    };
    return adapter;
  }

  /** Installs the limits on the namespace `name` of a freshly created server. */
  attach(server: Server, name = '/jobs'): void {
    const nsp: Namespace = server.of(name);
    nsp.use((socket, next) => {
      this.admit(socket).then(next, () => next());
    });
    nsp.on('connection', (socket: Socket) => {
      this.census.connect();
      socket.once('disconnect', () => this.census.disconnect());
      if (this.messagesPer10s > 0) this.limitMessages(socket);
    });
  }

  /** Resolves with an error to refuse the connection, or undefined to let it through. */
  private async admit(socket: Socket): Promise<Error | undefined> {
    if (this.connectsPerMinute <= 0) return undefined;
    const key = `socket-connects:${this.trackerOf(socket)}`;
    const limit = this.connectsPerMinute;
    const hit = await this.storage.increment(key, MINUTE_MS, limit, MINUTE_MS, 'socket-connects');
    if (!hit.isBlocked) return undefined;
    this.metrics.rateLimited.inc({ limit: 'socket_connects' });
    return Object.assign(new Error(ErrorCode.rate_limited), {
      data: { code: ErrorCode.rate_limited, retryAfterSeconds: hit.timeToBlockExpire },
    });
  }

  private limitMessages(socket: Socket): void {
    let windowStart = Date.now();
    let count = 0;
    socket.use((packet, next) => {
      const now = Date.now();
      if (now - windowStart >= FLOOD_WINDOW_MS) {
        windowStart = now;
        count = 0;
      }
      count += 1;
      if (count <= this.messagesPer10s) return next();
      this.metrics.rateLimited.inc({ limit: 'socket_messages' });
      const ack: unknown = packet[packet.length - 1];
      if (typeof ack === 'function') (ack as (answer: unknown) => void)(FLOODED_ACK);
    });
  }

  private trackerOf(socket: Socket): string {
    const auth = socket.handshake.auth as { token?: unknown } | undefined;
    const header = socket.handshake.headers.authorization;
    const token =
      typeof auth?.token === 'string'
        ? auth.token
        : header?.startsWith('Bearer ')
          ? header.slice(7).trim()
          : undefined;
    if (token) {
      try {
        return `user:${this.auth.verify(token).userId}`;
      } catch {
        // Counted by address; the gateway refuses the token.
      }
    }
    return `ip:${socket.handshake.address}`;
  }
}
