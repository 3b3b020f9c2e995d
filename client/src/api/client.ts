import type { ApiErrorBody } from './types';
import { ENDPOINTS, EndpointName, pathOf } from './endpoints';

/** An API error in the contract's shape, plus what a person needs to act on it. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: { field: string; problem: string }[] = [],
    /** Seconds to wait (from `Retry-After`), for `queue_full` and `rate_limited`. */
    readonly retryAfterSec?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The problem reported for one field (`channels.0.assetId`), if any. */
  fieldProblem(field: string): string | undefined {
    return this.details.find((d) => d.field === field)?.problem;
  }
}

/** Builds an ApiError from a response body and headers; tolerant of non-JSON bodies. */
export function toApiError(status: number, body: unknown, retryAfter: string | null): ApiError {
  const b = (body && typeof body === 'object' ? body : {}) as Partial<ApiErrorBody>;
  const seconds = retryAfter !== null ? parseRetryAfter(retryAfter) : undefined;
  const code = typeof b.code === 'string' ? b.code : status === 0 ? 'network' : `http_${status}`;
  const message =
    typeof b.message === 'string' ? b.message : status === 0 ? 'network error' : `HTTP ${status}`;
  return new ApiError(status, code, message, Array.isArray(b.details) ? b.details : [], seconds);
}

/** `Retry-After`: delay-seconds or an HTTP date. */
export function parseRetryAfter(value: string, now = Date.now()): number | undefined {
  const n = Number(value);
  if (Number.isFinite(n) && value.trim() !== '') return Math.max(0, Math.ceil(n));
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

export interface CallOptions {
  params?: Record<string, string>;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Typed calls to the public API with the session's bearer token. */
export class ApiClient {
  constructor(
    private readonly token: () => string | null,
    private readonly onUnauthorized: () => void,
    private readonly base = '',
  ) {}

  async call<T>(name: EndpointName, opts: CallOptions = {}): Promise<T> {
    const { method } = ENDPOINTS[name];
    const url = this.base + pathOf(name, opts.params) + queryString(opts.query);
    const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
    const token = this.token();
    if (token) headers.authorization = `Bearer ${token}`;
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(url, {
        method: method.toUpperCase(),
        headers,
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      });
    } catch {
      throw new ApiError(0, 'network', 'The server cannot be reached. Check your connection.');
    }
    const text = await res.text();
    const body: unknown = text && isJson(res) ? JSON.parse(text) : text;
    if (!res.ok) {
      if (res.status === 401) this.onUnauthorized();
      throw toApiError(res.status, body, res.headers.get('retry-after'));
    }
    return body as T;
  }

  /** Multipart upload with progress (fetch has no upload progress: XMLHttpRequest does). */
  upload<T>(file: File, onProgress: (fraction: number) => void, signal?: AbortSignal): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', this.base + ENDPOINTS.uploadAsset.path);
      const token = this.token();
      if (token) xhr.setRequestHeader('authorization', `Bearer ${token}`);
      xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
      xhr.onload = () => {
        let body: unknown = xhr.responseText;
        try {
          body = JSON.parse(xhr.responseText);
        } catch {
          /* not JSON: keep the text */
        }
        if (xhr.status >= 200 && xhr.status < 300) return resolve(body as T);
        if (xhr.status === 401) this.onUnauthorized();
        reject(toApiError(xhr.status, body, xhr.getResponseHeader('retry-after')));
      };
      xhr.onerror = () => reject(new ApiError(0, 'network', 'Upload failed: connection lost.'));
      xhr.onabort = () => reject(new ApiError(0, 'aborted', 'Upload cancelled.'));
      signal?.addEventListener('abort', () => xhr.abort());
      const form = new FormData();
      form.append('file', file, file.name);
      xhr.send(form);
    });
  }
}

function isJson(res: Response): boolean {
  return (res.headers.get('content-type') ?? '').includes('json');
}

function queryString(query: CallOptions['query']): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}
