import { BeforeApplicationShutdown, Injectable, OnModuleDestroy } from '@nestjs/common';

/**
 * Whether this node should receive new work. Readiness answers 503 from the moment shutdown
 * starts: the engine's drain calls `markDraining()`, and Nest's shutdown hooks flip it too.
 */
@Injectable()
export class ReadinessState implements OnModuleDestroy, BeforeApplicationShutdown {
  private drainingSince?: number;

  /** True once shutdown (or a drain) has begun; it never goes back. */
  get draining(): boolean {
    return this.drainingSince !== undefined;
  }

  /** Marks the node as draining (idempotent); `/health/ready` answers 503 from now on. */
  markDraining(now = Date.now()): void {
    this.drainingSince ??= now;
  }

  /** The first shutdown hook Nest calls: readiness drops before any module stops. */
  onModuleDestroy(): void {
    this.markDraining();
  }

  beforeApplicationShutdown(): void {
    this.markDraining();
  }
}
