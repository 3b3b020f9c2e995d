import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Principal } from '../auth/principal';
import { JobsService } from '../jobs/jobs.service';
import { EventFanout } from './event-fanout';

/** The stats overview object of `GET /api/jobs/stats/overview`. */
export type StatsOverview = Record<string, unknown>;
export type StatsListener = (stats: StatsOverview) => void;

/** At most 2 `stats` events per second (API.md). */
export const STATS_INTERVAL_MS = 500;
/** Throughput and worker load drift without job events; refresh watched scopes this often. */
const STATS_REFRESH_MS = 5_000;

interface Scope {
  principal: Principal;
  listeners: Set<StatsListener>;
  lastRun: number;
  timer?: NodeJS.Timeout;
}

/** The scope whose stats a principal sees: the whole system for admins, else their own jobs. */
export function statsScopeOf(principal: Principal): string {
  return principal.admin ? 'system' : `user:${principal.userId}`;
}

/**
 * Pushes the stats overview to its watchers after job changes, computed once per scope (system,
 * or one user) and at most every 500 ms, whatever the number of watchers.
 */
@Injectable()
export class StatsFeed implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(StatsFeed.name);
  private readonly scopes = new Map<string, Scope>();
  private unsubscribe?: () => void;
  private refresher?: NodeJS.Timeout;

  constructor(
    private readonly fanout: EventFanout,
    private readonly jobs: JobsService,
  ) {}

  onModuleInit(): void {
    this.unsubscribe = this.fanout.subscribe(
      (event) => {
        if (event.name === 'job:progress') return;
        this.touch('system');
        this.touch(`user:${event.owner}`);
      },
      () => this.scopes.size > 0,
    );
    this.refresher = setInterval(
      () => this.scopes.forEach((_s, key) => this.touch(key)),
      STATS_REFRESH_MS,
    );
    this.refresher.unref();
  }

  onApplicationShutdown(): void {
    this.unsubscribe?.();
    clearInterval(this.refresher);
    for (const scope of this.scopes.values()) clearTimeout(scope.timer);
    this.scopes.clear();
  }

  /** The stats the principal sees now. */
  current(principal: Principal): Promise<StatsOverview> {
    return this.jobs.stats({ userId: principal.userId, admin: principal.admin });
  }

  /** Calls `listener` with fresh stats after changes. Returns the unsubscribe function. */
  watch(principal: Principal, listener: StatsListener): () => void {
    const key = statsScopeOf(principal);
    let scope = this.scopes.get(key);
    if (!scope) {
      scope = {
        principal: { userId: principal.userId, admin: principal.admin },
        listeners: new Set(),
        lastRun: 0,
      };
      this.scopes.set(key, scope);
    }
    scope.listeners.add(listener);
    const owned = scope;
    return () => {
      owned.listeners.delete(listener);
      if (owned.listeners.size > 0 || this.scopes.get(key) !== owned) return;
      clearTimeout(owned.timer);
      this.scopes.delete(key);
    };
  }

  private touch(key: string): void {
    const scope = this.scopes.get(key);
    if (!scope || scope.timer) return;
    const wait = Math.max(0, scope.lastRun + STATS_INTERVAL_MS - Date.now());
    scope.timer = setTimeout(() => void this.run(key, scope), wait);
    scope.timer.unref();
  }

  private async run(key: string, scope: Scope): Promise<void> {
    scope.timer = undefined;
    scope.lastRun = Date.now();
    try {
      const stats = await this.current(scope.principal);
      for (const listener of [...scope.listeners]) listener(stats);
    } catch (err) {
      this.logger.warn(`stats for ${key} failed: ${(err as Error).message}`);
    }
  }
}
