import { applyDecorators, Injectable, OnModuleInit, SetMetadata } from '@nestjs/common';
import { DiscoveryService, Reflector } from '@nestjs/core';
import type { Readable } from 'node:stream';
import { JobTypePolicy } from '../../config/app-config';
import { BlobResult, JobResult } from './job.model';

/** What a handler gets for one attempt of one job. */
export interface JobContext<P = unknown> {
  readonly id: string;
  readonly type: string;
  readonly owner: string;
  readonly payload: P;
  /** 1 for the first attempt. */
  readonly attempt: number;
  /** Fires on cancel, timeout, shutdown or a lost lease; stop work promptly when it does. */
  readonly signal: AbortSignal;
  /** Throws once the attempt was aborted: a check that costs less than reading `signal`. */
  throwIfAborted(): void;
  /** Reports progress; percent never goes backwards within an attempt. */
  progress(percent: number, stage?: string, message?: string): void;
  /** Adds a line to the job's log (the last 50 are kept). */
  log(text: string): void;
  /** Stores a result file under `jobs/<id>/<run>/<filename>` (the run's own prefix). */
  storeResult(filename: string, body: Readable | Buffer, contentType: string): Promise<BlobResult>;
}

/** One handler per job type, registered at boot; the runner calls `run` once per attempt. */
export interface JobHandler<P = unknown> {
  readonly type: string;
  /** Defaults; `<TYPE>_CONCURRENCY`, `<TYPE>_TIMEOUT_S`, `<TYPE>_MAX_ATTEMPTS` override them. */
  readonly policy: JobTypePolicy;
  run(ctx: JobContext<P>): Promise<JobResult | void>;
}

const JOB_HANDLER = 'jobs:handler';

/** Marks a provider as the handler of its job type; the registry finds it at boot. */
export const RegisterJobHandler = (): ClassDecorator =>
  applyDecorators(Injectable(), SetMetadata(JOB_HANDLER, true));

/** Every `@RegisterJobHandler()` provider, by type; one handler per type, checked at boot. */
@Injectable()
export class JobHandlerRegistry implements OnModuleInit {
  private readonly handlers = new Map<string, JobHandler>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly reflector: Reflector,
  ) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const metatype = wrapper.metatype;
      if (!metatype || !this.reflector.get<boolean>(JOB_HANDLER, metatype)) continue;
      this.register(wrapper.instance as JobHandler);
    }
  }

  register(handler: JobHandler<never>): void {
    if (this.handlers.has(handler.type)) throw new Error(`duplicate job handler: ${handler.type}`);
    this.handlers.set(handler.type, handler);
  }

  get(type: string): JobHandler | undefined {
    return this.handlers.get(type);
  }

  all(): JobHandler[] {
    return [...this.handlers.values()];
  }
}
