import { Injectable } from '@nestjs/common';
import { AuthService } from '../auth/auth.service';
import { Principal } from '../auth/principal';
import { JobError, JobLogLine, JobRecord, JobState } from './job.model';

/** The public `Job` snapshot of the contract (API.md). */
export interface JobView {
  id: string;
  type: string;
  state: JobState;
  progress: number;
  stage: string;
  message: string;
  seq: number;
  attempt: number;
  maxAttempts: number;
  priority: number;
  cancelRequested: boolean;
  runAfter?: string;
  error?: JobError;
  createdAt: string;
  startedAt?: string;
  updatedAt: string;
  finishedAt?: string;
  expiresAt?: string;
  result?: Record<string, unknown>;
  owner?: string;
  messages?: { at: string; text: string }[];
  history?: { at: string; event: string; attempt: number; node: string; reason?: string }[];
}

const iso = (ms: number | null): string | undefined =>
  ms === null ? undefined : new Date(ms).toISOString();

/** Maps records to the public snapshot; adds signed download links and admin-only fields. */
@Injectable()
export class JobViewMapper {
  constructor(private readonly auth: AuthService) {}

  toView(r: JobRecord, viewer?: Principal, withMessages = false): JobView {
    const view: JobView = {
      id: r.id,
      type: r.type,
      state: r.state,
      progress: Math.round(r.progress * 100) / 100,
      stage: r.stage,
      message: r.message,
      seq: r.seq,
      attempt: r.attempt,
      maxAttempts: r.maxAttempts,
      priority: r.priority,
      cancelRequested: r.cancelRequested,
      createdAt: iso(r.createdAt)!,
      updatedAt: iso(r.updatedAt)!,
      startedAt: iso(r.startedAt),
      finishedAt: iso(r.finishedAt),
      expiresAt: iso(r.expiresAt),
    };
    if (r.state === JobState.queued && r.runAfter > Date.now()) view.runAfter = iso(r.runAfter);
    if (r.error) view.error = r.error;
    if (r.result) view.result = this.resultView(r);
    if (viewer?.admin) view.owner = r.owner;
    if (withMessages) {
      view.messages = r.messages.map((m: JobLogLine) => ({ at: iso(m.at)!, text: m.text }));
      view.history = r.history.map((h) => ({ ...h, at: iso(h.at)! }));
    }
    return view;
  }

  private resultView(r: JobRecord): Record<string, unknown> {
    const result = r.result!;
    switch (result.kind) {
      case 'blob': {
        const { kind, filename, contentType, bytes, sha256 } = result;
        const downloadUrl = this.auth.signLink(`/api/jobs/${r.id}/result`);
        return { kind, filename, contentType, bytes, sha256, downloadUrl };
      }
      case 'asset':
      case 'thumbnails':
        return { ...result };
    }
  }
}
