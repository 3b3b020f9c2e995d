import busboy from 'busboy';
import type { IncomingHttpHeaders } from 'node:http';
import { PassThrough, Readable } from 'node:stream';
import { PutResult } from '../../core/storage/blob-store.port';
import { PayloadTooLargeError, UnsupportedMediaTypeError } from './asset-errors';
import { ValidationError } from '../../core/errors/app-error';

/** What arrived: the stored file and the text fields. */
export interface MultipartFile {
  filename: string | undefined;
  fields: Record<string, string>;
  stored: PutResult;
}

export interface MultipartOptions {
  /** Name of the file field (`file`). */
  field: string;
  maxBytes: number;
  /** Streams the file somewhere (the blob store); must reject when the stream errors. */
  store(body: Readable): Promise<PutResult>;
}

type UploadRequest = Readable & { headers: IncomingHttpHeaders };

/**
 * Streams the first `field` file of a multipart request into `store` (never buffered whole).
 * Over `maxBytes` the store's stream is destroyed (so no blob is kept), the rest of the request
 * is drained, and the promise rejects with 413. Without the file it rejects with 400; a malformed
 * body rejects with 400 once the store has given up, so the caller can remove any partial blob.
 * The request is piped by hand (not `pipeline`), so a parse error never destroys the socket
 * before the answer is written, and every stream has an error listener from its creation.
 */
export function receiveMultipartFile(
  req: UploadRequest,
  options: MultipartOptions,
): Promise<MultipartFile> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        limits: { files: 1, fileSize: options.maxBytes, fields: 10, fieldSize: 4096 },
      });
    } catch {
      req.resume();
      return reject(new UnsupportedMediaTypeError());
    }
    const state = { filename: undefined as string | undefined, fields: {}, truncated: false };
    let stored: Promise<PutResult> | undefined;
    let failed = false;
    const body = new PassThrough();
    body.on('error', () => undefined); // its errors reach the caller through `stored`
    const fail = (err: Error): void => {
      if (failed) return;
      failed = true;
      req.unpipe(parser);
      req.resume(); // drain what is left so the 4xx can be written
      body.destroy(err); // a stalled part must not leave the store waiting forever
      const settled = stored ?? Promise.resolve();
      void settled.then(
        () => reject(malformed(err)),
        () => reject(malformed(err)),
      );
    };
    parser.on('field', (name, value) => ((state.fields as Record<string, string>)[name] = value));
    parser.on('file', (name, file, info) => {
      if (name !== options.field || stored || failed) return void file.resume();
      state.filename = info.filename;
      stored = storeLimited(file, body, options, () => (state.truncated = true));
      stored.catch(() => undefined); // awaited on close; avoid an unhandled rejection meanwhile
    });
    parser.on('close', () => {
      if (failed) return;
      if (!stored) return reject(missingFile(options.field));
      stored.then(
        (put) => resolve({ filename: state.filename, fields: state.fields, stored: put }),
        (err: Error) => reject(state.truncated ? new PayloadTooLargeError(options.maxBytes) : err),
      );
    });
    parser.on('error', fail);
    req.on('error', fail);
    req.on('aborted', () => fail(new Error('the client closed the upload')));
    req.pipe(parser);
  });
}

/** Pipes the part into the store through a stream that is destroyed when the limit is hit. */
function storeLimited(
  file: Readable,
  body: PassThrough,
  options: MultipartOptions,
  onLimit: () => void,
): Promise<PutResult> {
  file.pipe(body);
  file.on('error', (err) => body.destroy(err));
  file.on('limit', () => {
    onLimit();
    file.unpipe(body);
    body.destroy(new PayloadTooLargeError(options.maxBytes));
    file.resume(); // drain the rest so the client gets the 413
  });
  return options.store(body);
}

function missingFile(field: string): ValidationError {
  return new ValidationError(
    [{ field, problem: 'a multipart file field named "file" is required' }],
    'no file uploaded',
  );
}

function malformed(err: Error): ValidationError {
  return new ValidationError([{ field: 'body', problem: err.message }], 'malformed multipart body');
}
