import { existsSync, readdirSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { walkRoutes } from '../src/core/openapi/route-walk';
import { eventually, sleep } from './support/http';
import { TestApp } from './support/test-app';

/** A raw HTTP exchange: what the server answered (status and body), or null when it said nothing. */
interface RawAnswer {
  status: number | null;
  body: string;
}

/** Sends `head` + `body` byte for byte over a socket (no client library repairs anything). */
function rawRequest(
  url: string,
  head: string,
  body: Buffer,
  timeoutMs = 10_000,
): Promise<RawAnswer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    const done = (): void => {
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(chunks).toString('latin1');
      const match = /^HTTP\/1\.1 (\d{3})/.exec(text);
      const bodyStart = text.indexOf('\r\n\r\n');
      resolve({ status: match ? Number(match[1]) : null, body: text.slice(bodyStart + 4) });
    };
    const timer = setTimeout(done, timeoutMs);
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      if (/\r\n\r\n[\s\S]*\}$/.test(Buffer.concat(chunks).toString('latin1'))) done();
    });
    socket.on('error', done);
    socket.on('close', done);
    socket.write(head);
    socket.write(body);
  });
}

function uploadHead(t: TestApp, token: string, contentType: string, length: number): string {
  const { host } = new URL(t.url);
  return (
    `POST /api/assets HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Bearer ${token}\r\n` +
    `Content-Type: ${contentType}\r\nContent-Length: ${length}\r\nConnection: close\r\n\r\n`
  );
}

function partHeader(boundary: string, filename = 'a.png'): string {
  return (
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\n` +
    `Content-Type: image/png\r\n\r\n`
  );
}

const PNG_START = Buffer.from('\x89PNG\r\n', 'latin1');

/** Each body is malformed in its own way; every one used to take the whole process down. */
const MALFORMED: Array<{ name: string; type: string; body: Buffer }> = [
  {
    name: 'a truncated body (Unexpected end of form)',
    type: 'multipart/form-data; boundary=XX',
    body: Buffer.concat([Buffer.from(partHeader('XX'), 'latin1'), PNG_START]),
  },
  {
    name: 'a body that never contains the boundary',
    type: 'multipart/form-data; boundary=XX',
    body: Buffer.from('hello world'),
  },
  {
    name: 'a boundary that does not match',
    type: 'multipart/form-data; boundary=YY',
    body: Buffer.concat([
      Buffer.from(partHeader('XX'), 'latin1'),
      PNG_START,
      Buffer.from('\r\n--XX--\r\n'),
    ]),
  },
  {
    name: 'a part header without a colon',
    type: 'multipart/form-data; boundary=XX',
    body: Buffer.from('--XX\r\nContent-Disposition form-data name file\r\n\r\nabc\r\n--XX--\r\n'),
  },
  {
    name: 'a NUL in the filename',
    type: 'multipart/form-data; boundary=XX',
    body: Buffer.concat([
      Buffer.from(partHeader('XX', 'a\u0000.png'), 'latin1'),
      PNG_START,
      Buffer.from('\r\n--XX--\r\n'),
    ]),
  },
  {
    name: 'a part header of about 90 KB',
    type: 'multipart/form-data; boundary=XX',
    body: Buffer.from(
      `--XX\r\nContent-Disposition: form-data; name="file"; filename="${'a'.repeat(90_000)}"\r\n\r\nabc\r\n--XX--\r\n`,
    ),
  },
  {
    name: 'a truncated body after a text field',
    type: 'multipart/form-data; boundary=XX',
    body: Buffer.from('--XX\r\nContent-Disposition: form-data; name="name"\r\n\r\nM31\r\n--XX\r\n'),
  },
  {
    name: 'a multipart type without a boundary',
    type: 'multipart/form-data',
    body: Buffer.from('--XX--\r\n'),
  },
];

describe('Hostile uploads (e2e)', () => {
  let t: TestApp;
  let token: string;

  beforeAll(async () => {
    t = await TestApp.start({ UPLOADS_PER_MINUTE: '0' });
    token = t.token('mallory');
  });

  afterAll(() => t.close());

  /** Anything left under the blob folder: originals, temp files, or empty folders of assets. */
  const leftovers = (): string[] =>
    ['assets', '.tmp']
      .map((folder) => join(t.dataDir, 'blobs', folder))
      .filter((dir) => existsSync(dir))
      .flatMap((dir) => readdirSync(dir, { recursive: true, encoding: 'utf8' }));

  it.each(MALFORMED)('should answer 4xx and keep serving for $name', async ({ type, body }) => {
    const answer = await rawRequest(t.url, uploadHead(t, token, type, body.length), body);
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
    const error = JSON.parse(answer.body);
    expect(['validation_failed', 'unsupported_image', 'unsupported_media_type']).toContain(
      error.code,
    );
    expect(answer.body).not.toMatch(/\n\s+at /); // no stack trace
    expect((await t.request('GET', '/health/live')).status).toBe(200);
  });

  it('should survive 20 uploads abandoned mid-body and keep no partial blobs', async () => {
    const { hostname, port } = new URL(t.url);
    const head = uploadHead(t, token, 'multipart/form-data; boundary=XX', 1_000_000);
    await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const socket = connect(Number(port), hostname);
        socket.on('error', () => undefined);
        socket.write(head + partHeader('XX'));
        socket.write(Buffer.concat([PNG_START, Buffer.alloc(20_000 * (i + 1))]));
        await sleep(50 + i * 5);
        socket.destroy();
      }),
    );
    // The server notices each hang-up on its own schedule: wait until every upload was cleaned.
    await eventually(() => Promise.resolve(leftovers().length === 0 ? true : undefined));
    const res = await t.request('GET', '/api/assets', { token });
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([]);
    expect(leftovers()).toEqual([]);
  });

  it('should hold no partial blob after any malformed upload', () => {
    expect(leftovers()).toEqual([]);
  });
});

/** Every route that reads a JSON body, and a few that don't: a deep body is a 400 on all. */

describe('Deep JSON bodies (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => (t = await TestApp.start()));
  afterAll(() => t.close());

  it('should answer 400 validation_failed on every JSON route of the router', async () => {
    const depth = 5_000; // about 10 KB: enough to overflow a recursive walk
    const paths = walkRoutes(t.app)
      .filter((r) => ['POST', 'PUT', 'PATCH'].includes(r.method) && r.path !== '/api/assets')
      .map((r) => r.path.replace(/:\w+/g, '00000000-0000-0000-0000-000000000000'));
    expect(paths.length).toBeGreaterThanOrEqual(10); // uploads are multipart, not JSON
    const answers: Record<string, unknown> = {};
    for (const path of paths) {
      const res = await t.request('POST', path, {
        token: t.token('mallory', true),
        rawBody: '{"a":'.repeat(depth) + '1' + '}'.repeat(depth),
        headers: { 'content-type': 'application/json' },
      });
      answers[path] = [res.status, res.body.code, res.body.details?.[0]?.field];
    }
    const expected = Object.fromEntries(paths.map((p) => [p, [400, 'validation_failed', 'body']]));
    expect(answers).toEqual(expected);
  });

  it('should still accept ordinary nested bodies', async () => {
    const res = await t.request('POST', '/api/diagnostics/jobs', {
      token: t.token('alice'),
      body: { durationMs: 0 },
    });
    expect(res.status).toBe(202);
  });

  it('should keep the 1 MB body limit', async () => {
    const res = await t.request('POST', '/api/diagnostics/jobs', {
      token: t.token('alice'),
      rawBody: JSON.stringify({ durationMs: 0, pad: 'x'.repeat(1_100_000) }),
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('payload_too_large');
  });
});
