import { Inject, Logger, OnApplicationShutdown } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  OnGatewayConnection,
  OnGatewayDisconnect,
  OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
  WebSocketServer,
} from '@nestjs/websockets';
import type { DefaultEventsMap, Namespace, Socket } from 'socket.io';
import { AuthService } from '../auth/auth.service';
import { Principal } from '../auth/principal';
import { AppError } from '../errors/app-error';
import { JobView, JobViewMapper } from '../jobs/job-view';
import { JobsService } from '../jobs/jobs.service';
import { EventFanout } from './event-fanout';
import { OutboundEvent } from './outbound-event';
import {
  inMemorySocketAdapter,
  SOCKET_ADAPTER_PROVIDER,
  SocketAdapterProvider,
} from './realtime-io.adapter';
import { StatsFeed, StatsOverview, statsScopeOf } from './stats-feed';
import { ErrorCode } from '../errors/error-code';

/** What the gateway keeps on each socket (set by the handshake middleware). */
export interface JobsSocketData {
  principal: Principal;
  expiresAt?: number;
  statsScope?: string;
}

/** A socket of the `/jobs` namespace. */
export type JobsSocket = Socket<
  DefaultEventsMap,
  DefaultEventsMap,
  DefaultEventsMap,
  JobsSocketData
>;

/** Every acknowledgement: `{ ok: true, … }` or `{ ok: false, error: { code, message } }`. */
export type Ack<T extends object = object> =
  ({ ok: true } & T) | { ok: false; error: { code: string; message: string } };

/** Longest delay `setTimeout` accepts (about 24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Admins see a payload variant with `owner`, so they sit in rooms of their own. */
const userRoom = (userId: string, admin: boolean): string =>
  `${admin ? 'admin-user' : 'user'}:${userId}`;
const jobRoom = (jobId: string, admin: boolean): string =>
  `${admin ? 'admin-job' : 'job'}:${jobId}`;
const statsRoom = (scope: string): string => `stats:${scope}`;

/**
 * Namespace `/jobs`: authenticates the handshake, puts each socket in its user's room, answers
 * subscriptions with the current snapshot and relays the fan-out's events to the rooms with
 * one emit (one serialisation) per payload variant; Socket.IO delivers a multi-room emit once
 * per socket.
 */
@WebSocketGateway({ namespace: '/jobs' })
export class JobsGateway
  implements
    OnGatewayInit<Namespace>,
    OnGatewayConnection<JobsSocket>,
    OnGatewayDisconnect<JobsSocket>,
    OnApplicationShutdown
{
  @WebSocketServer() private readonly nsp: Namespace;
  private readonly logger = new Logger(JobsGateway.name);
  private readonly expiryTimers = new Map<string, NodeJS.Timeout>();
  private readonly statsScopes = new Map<string, { sockets: number; unwatch: () => void }>();
  private stopRelay?: () => void;
  /** With the in-memory adapter, an emit to rooms without local sockets reaches nobody. */
  private readonly localOnly: boolean;

  constructor(
    @Inject(SOCKET_ADAPTER_PROVIDER) adapterProvider: SocketAdapterProvider,
    private readonly auth: AuthService,
    private readonly fanout: EventFanout,
    private readonly stats: StatsFeed,
    private readonly jobs: JobsService,
    private readonly views: JobViewMapper,
  ) {
    this.localOnly = adapterProvider === inMemorySocketAdapter;
  }

  afterInit(nsp: Namespace): void {
    nsp.use((socket, next) => next(this.authenticate(socket as JobsSocket)));
    this.stopRelay = this.fanout.subscribe(
      (event) => this.broadcast(event),
      () => !this.localOnly || this.nsp.adapter.rooms.size > 0,
    );
  }

  onApplicationShutdown(): void {
    this.stopRelay?.();
    this.expiryTimers.forEach((timer) => clearTimeout(timer));
    this.expiryTimers.clear();
    this.statsScopes.forEach(({ unwatch }) => unwatch());
    this.statsScopes.clear();
  }

  handleConnection(socket: JobsSocket): void {
    const { principal, expiresAt } = socket.data;
    void socket.join(userRoom(principal.userId, principal.admin));
    if (expiresAt === undefined) return;
    // An expired token must stop receiving events: drop the socket when it expires.
    const timer = setTimeout(
      () => socket.disconnect(true),
      Math.min(MAX_TIMER_MS, expiresAt - Date.now()),
    );
    timer.unref();
    this.expiryTimers.set(socket.id, timer);
  }

  handleDisconnect(socket: JobsSocket): void {
    clearTimeout(this.expiryTimers.get(socket.id));
    this.expiryTimers.delete(socket.id);
    this.releaseStats(socket);
  }

  @SubscribeMessage('subscribe')
  async subscribe(
    @ConnectedSocket() socket: JobsSocket,
    @MessageBody() body: unknown,
  ): Promise<Ack<{ job: JobView }>> {
    const jobId = jobIdOf(body);
    if (!jobId) return failure(ErrorCode.validation_failed, 'jobId is required');
    const principal = socket.data.principal;
    const room = jobRoom(jobId, principal.admin);
    try {
      await this.jobs.owned(principal, jobId);
      // Join before reading the snapshot, so that no change falls between the two.
      await socket.join(room);
      const record = await this.jobs.owned(principal, jobId);
      return { ok: true, job: this.views.toView(record, principal) };
    } catch (err) {
      await socket.leave(room);
      return this.failureOf(err);
    }
  }

  @SubscribeMessage('unsubscribe')
  async unsubscribe(
    @ConnectedSocket() socket: JobsSocket,
    @MessageBody() body: unknown,
  ): Promise<Ack> {
    const jobId = jobIdOf(body);
    if (!jobId) return failure(ErrorCode.validation_failed, 'jobId is required');
    await socket.leave(jobRoom(jobId, socket.data.principal.admin));
    return { ok: true };
  }

  @SubscribeMessage('stats:subscribe')
  async subscribeStats(
    @ConnectedSocket() socket: JobsSocket,
  ): Promise<Ack<{ stats: StatsOverview }>> {
    const principal = socket.data.principal;
    try {
      if (!socket.data.statsScope) this.retainStats(socket, principal);
      return { ok: true, stats: await this.stats.current(principal) };
    } catch (err) {
      return this.failureOf(err);
    }
  }

  @SubscribeMessage('stats:unsubscribe')
  unsubscribeStats(@ConnectedSocket() socket: JobsSocket): Ack {
    this.releaseStats(socket);
    return { ok: true };
  }

  private authenticate(socket: JobsSocket): Error | undefined {
    const token = tokenOf(socket);
    if (!token) return new Error(ErrorCode.unauthorized);
    try {
      const { userId, admin, expiresAt } = this.auth.verify(token);
      socket.data.principal = { userId, admin };
      socket.data.expiresAt = expiresAt;
      return undefined;
    } catch {
      return new Error(ErrorCode.unauthorized);
    }
  }

  private broadcast(event: OutboundEvent): void {
    const { owner, jobId, name } = event;
    const plain = [userRoom(owner, false), jobRoom(jobId, false)];
    const admin = [userRoom(owner, true), jobRoom(jobId, true)];
    // Skipping here saves the packet encoding for jobs nobody watches (most jobs, under load).
    if (this.localOnly && ![...plain, ...admin].some((room) => this.nsp.adapter.rooms.has(room))) {
      return;
    }
    if (event.uniform) {
      this.nsp.to([...plain, ...admin]).emit(name, event.payload(false));
      return;
    }
    this.nsp.to(plain).emit(name, event.payload(false));
    this.nsp.to(admin).emit(name, event.payload(true));
  }

  /** One stats watcher per scope on this node, whatever the number of sockets watching it. */
  private retainStats(socket: JobsSocket, principal: Principal): void {
    const scope = statsScopeOf(principal);
    socket.data.statsScope = scope;
    void socket.join(statsRoom(scope));
    const entry = this.statsScopes.get(scope);
    if (entry) {
      entry.sockets += 1;
      return;
    }
    // Each node computes stats for its own sockets: emit locally, not through the adapter.
    const unwatch = this.stats.watch(principal, (stats) =>
      this.nsp.local.to(statsRoom(scope)).emit('stats', stats),
    );
    this.statsScopes.set(scope, { sockets: 1, unwatch });
  }

  private releaseStats(socket: JobsSocket): void {
    const scope = socket.data.statsScope;
    if (!scope) return;
    socket.data.statsScope = undefined;
    void socket.leave(statsRoom(scope));
    const entry = this.statsScopes.get(scope);
    if (!entry || --entry.sockets > 0) return;
    entry.unwatch();
    this.statsScopes.delete(scope);
  }

  private failureOf(err: unknown): Ack<never> {
    if (err instanceof AppError) return failure(err.code, err.message);
    this.logger.error(`socket request failed: ${(err as Error).stack ?? String(err)}`);
    return failure(ErrorCode.internal, 'internal error');
  }
}

function failure(code: ErrorCode, message: string): Ack<never> {
  return { ok: false, error: { code, message } };
}

function jobIdOf(body: unknown): string | undefined {
  const jobId = (body as { jobId?: unknown } | null)?.jobId;
  return typeof jobId === 'string' && jobId.length > 0 && jobId.length <= 200 ? jobId : undefined;
}

/** `auth: { token }` of the handshake, or a bearer header for non-browser clients. */
function tokenOf(socket: JobsSocket): string | undefined {
  const auth = socket.handshake.auth as { token?: unknown } | undefined;
  if (typeof auth?.token === 'string' && auth.token !== '') return auth.token;
  const header = socket.handshake.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
}
