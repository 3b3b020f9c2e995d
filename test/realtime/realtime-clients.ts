import { eventually } from '../support/http';
import { io, Socket } from 'socket.io-client';

/** One event as a test client saw it, with its arrival time. */
export interface Seen {
  name: string;
  data: any;
  at: number;
}

/** A real socket.io-client connection to `/jobs` that records every event it receives. */
export class RecordingSocket {
  readonly events: Seen[] = [];

  private constructor(readonly socket: Socket) {
    socket.onAny((name: string, data: unknown) => this.events.push({ name, data, at: Date.now() }));
  }

  static connect(url: string, token: string): Promise<RecordingSocket> {
    const socket = io(`${url}/jobs`, {
      auth: { token },
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
    });
    return new Promise((resolve, reject) => {
      socket.once('connect', () => resolve(new RecordingSocket(socket)));
      socket.once('connect_error', (err) => {
        socket.close();
        reject(err);
      });
    });
  }

  /** Emits with an acknowledgement; fails after 5 s without one. */
  request(event: string, body?: unknown): Promise<any> {
    const timed = this.socket.timeout(5_000);
    return body === undefined ? timed.emitWithAck(event) : timed.emitWithAck(event, body);
  }

  /**
   * Emits `event` with a payload given as raw JSON text, bypassing the client's encoder (which
   * cannot encode what a hostile client can send, e.g. JSON nested thousands of levels deep),
   * and resolves with the ack's first argument.
   */
  requestRaw(event: string, json: string): Promise<any> {
    const ackId = 90_000 + RecordingSocket.rawAcks++;
    const prefix = `3/jobs,${ackId}`; // an ACK packet (engine.io adds its own "4")
    const engine = this.socket.io.engine;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ack for ${event}`)), 5_000);
      const onMessage = (data: unknown): void => {
        const text = String(data);
        if (!text.startsWith(prefix)) return;
        clearTimeout(timer);
        engine.off('message', onMessage);
        resolve((JSON.parse(text.slice(prefix.length)) as unknown[])[0]);
      };
      engine.on('message', onMessage);
      engine.send(`2/jobs,${ackId}[${JSON.stringify(event)},${json}]`);
    });
  }

  private static rawAcks = 0;

  /** Events about one job, in arrival order. */
  of(jobId: string): Seen[] {
    return this.events.filter((e) => e.data?.jobId === jobId || e.data?.id === jobId);
  }

  named(name: string): Seen[] {
    return this.events.filter((e) => e.name === name);
  }

  close(): void {
    this.socket.close();
  }
}

/** Resolves with the `connect_error` of a connection attempt (rejects if it connects). */
export function connectError(url: string, auth: Record<string, unknown>): Promise<Error> {
  const socket = io(`${url}/jobs`, {
    auth,
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => {
      socket.close();
      reject(new Error('connected with a bad token'));
    });
    socket.once('connect_error', (err) => {
      socket.close();
      resolve(err);
    });
  });
}

/** One server-sent event; `comment` holds a comment line's text. */
export interface SseEvent {
  event?: string;
  data?: any;
  comment?: string;
}

/** Reads an SSE response until it ends or `stopWhen` says so; `ended` tells which. */
export async function readSse(
  url: string,
  opts: { signal?: AbortSignal; stopWhen?: (events: SseEvent[]) => boolean } = {},
): Promise<{ status: number; headers: Headers; events: SseEvent[]; ended: boolean }> {
  const controller = new AbortController();
  opts.signal?.addEventListener('abort', () => controller.abort());
  const res = await fetch(url, { signal: controller.signal });
  const events: SseEvent[] = [];
  if (!res.body || !res.headers.get('content-type')?.startsWith('text/event-stream')) {
    return { status: res.status, headers: res.headers, events, ended: true };
  }
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
    if (done)
      return {
        status: res.status,
        headers: res.headers,
        events,
        ended: !controller.signal.aborted,
      };
    buffer += decoder.decode(value, { stream: true });
    const blocks = buffer.split('\n\n');
    buffer = blocks.pop()!;
    events.push(...blocks.map(parseBlock));
    if (opts.stopWhen?.(events)) {
      controller.abort();
      return { status: res.status, headers: res.headers, events, ended: false };
    }
  }
}

function parseBlock(block: string): SseEvent {
  const event: SseEvent = {};
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) event.comment = line.slice(1).trim();
    else if (line.startsWith('event: ')) event.event = line.slice(7);
    else if (line.startsWith('data: ')) event.data = JSON.parse(line.slice(6));
  }
  return event;
}

/** `eventually` for synchronous checks of recorded events. */
export function until<T>(check: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  return eventually(() => Promise.resolve(check()), timeoutMs);
}
