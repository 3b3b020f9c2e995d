import { EventEmitter } from 'node:events';
import type { Response } from 'express';
import { SSE_HEARTBEAT_MS, SseStream } from './sse-stream';

class FakeResponse extends EventEmitter {
  chunks: string[] = [];
  headers: Record<string, string> = {};
  statusCode = 0;
  writableEnded = false;
  status(code: number): this {
    this.statusCode = code;
    return this;
  }
  set(headers: Record<string, string>): this {
    Object.assign(this.headers, headers);
    return this;
  }
  flushHeaders(): void {}
  write(chunk: string): boolean {
    this.chunks.push(chunk);
    return true;
  }
  end(): void {
    this.writableEnded = true;
  }
}

describe(SseStream.name, () => {
  let res: FakeResponse;

  beforeEach(() => {
    jest.useFakeTimers();
    res = new FakeResponse();
  });

  afterEach(() => jest.useRealTimers());

  const open = (expiresAt?: number): SseStream =>
    new SseStream(res as unknown as Response, expiresAt);

  it('should send event-stream headers and events as event/data blocks', () => {
    open().send('progress', '{"seq":2}');
    expect(res.statusCode).toBe(200);
    expect(res.headers['Content-Type']).toMatch(/^text\/event-stream/);
    expect(res.chunks).toEqual(['event: progress\ndata: {"seq":2}\n\n']);
  });

  it('should write a comment heartbeat every 15 s', () => {
    open();
    jest.advanceTimersByTime(SSE_HEARTBEAT_MS - 1);
    expect(res.chunks).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(res.chunks).toEqual([': heartbeat\n\n']);
    jest.advanceTimersByTime(SSE_HEARTBEAT_MS);
    expect(res.chunks).toHaveLength(2);
  });

  it('should run cleanups once and write nothing more when the client goes away', () => {
    const stream = open();
    const cleanup = jest.fn();
    stream.onClose(cleanup);
    res.emit('close');
    res.emit('close');
    stream.send('progress', '{}');
    jest.advanceTimersByTime(SSE_HEARTBEAT_MS * 2);
    expect(cleanup).toHaveBeenCalledTimes(1);
    expect(res.chunks).toEqual([]);
    expect(stream.isOpen).toBe(false);
  });

  it('should end the response when the token expires', () => {
    const stream = open(Date.now() + 1_000);
    jest.advanceTimersByTime(999);
    expect(res.writableEnded).toBe(false);
    jest.advanceTimersByTime(1);
    expect(res.writableEnded).toBe(true);
    expect(stream.isOpen).toBe(false);
  });

  it('should run a cleanup at once when added after the end', () => {
    const stream = open();
    stream.end();
    const cleanup = jest.fn();
    stream.onClose(cleanup);
    expect(cleanup).toHaveBeenCalledTimes(1);
  });
});
