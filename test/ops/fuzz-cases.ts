import { fillPath, RouteInfo } from '../support/routes';

/** A small seeded PRNG (mulberry32): the same seed gives the same requests. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  /** What the case is, for the failure message. */
  label: string;
}

export interface FuzzContext {
  token: string;
  otherToken: string;
  /** Real ids (own and another user's) to aim at existing records now and then. */
  ids: string[];
}

type Rand = () => number;
const pick = <T>(rand: Rand, list: readonly T[]): T => list[Math.floor(rand() * list.length)];

const ODD_IDS = [
  '',
  'x'.repeat(4000),
  '../../etc/passwd',
  '%00',
  '\u0000',
  '{"$ne":null}',
  '$where',
  '-1',
  '1e309',
  'ÿ̶͍̈́🙂',
  'null',
  'undefined',
  '__proto__',
  'constructor',
];

const ODD_VALUES: readonly unknown[] = [
  null,
  true,
  -1,
  0,
  Number.MAX_VALUE,
  -Number.MAX_SAFE_INTEGER - 2,
  3.14159,
  '',
  'x'.repeat(20_000),
  '#zzzzzz',
  [],
  [null],
  {},
  { $gt: '' },
  { $where: 'sleep(1000)' },
  [{ $ne: 1 }],
  '1; DROP TABLE jobs',
  '\u0000\uffff',
];

const RAW_BODIES = [
  '{',
  '{"a":',
  '[',
  'null',
  '"text"',
  '1e999999',
  '{"durationMs": 1e999}',
  '{"a":1,"a":2}',
  '\ufeff{}',
  '{"__proto__":{"admin":true}}',
  '{"constructor":{"prototype":{"x":1}}}',
  '['.repeat(40) + ']'.repeat(40),
  '{"a":'.repeat(40) + '1' + '}'.repeat(40),
];

const QUERY_KEYS = [
  'limit',
  'cursor',
  'state',
  'type',
  'all',
  'exp',
  'sig',
  'access_token',
  'size',
  'format',
];

function oddQuery(rand: Rand): string {
  const parts: string[] = [];
  const n = 1 + Math.floor(rand() * 3);
  for (let i = 0; i < n; i += 1) {
    const key =
      rand() < 0.15
        ? pick(rand, ['__proto__[x]', 'constructor[prototype]', 'limit[$gt]', 'state[]'])
        : pick(rand, QUERY_KEYS);
    const value = pick(rand, [
      '-1',
      '0',
      '1e309',
      'abc',
      'x'.repeat(3000),
      '%ZZ',
      '',
      'true',
      '[]',
      '%00',
      '999999999999999999999',
    ]);
    parts.push(`${key}=${value}`);
  }
  return `?${parts.join('&')}`;
}

/** A valid-looking body with one or more fields replaced by odd values, or odd extra keys. */
function mutatedBody(rand: Rand): string {
  const base: Record<string, unknown> = pick(rand, [
    { durationMs: 10 },
    { channels: [{ assetId: 'x', color: '#ff0000' }] },
    { tiles: [{ assetId: 'a' }, { assetId: 'b' }] },
    { assetIds: ['a'] },
    { tiles: [{ assetId: 'a' }, { assetId: 'b' }], name: 'm' },
  ]);
  const keys = [
    ...Object.keys(base),
    'priority',
    'format',
    'width',
    'quality',
    'steps',
    'extra',
    '__proto__',
    'constructor',
  ];
  const n = 1 + Math.floor(rand() * 3);
  for (let i = 0; i < n; i += 1) base[pick(rand, keys)] = pick(rand, ODD_VALUES);
  const text = JSON.stringify(base);
  // JSON.stringify drops a `__proto__` set by assignment: write it out as a literal key.
  return rand() < 0.2 ? text.replace(/^\{/, '{"__proto__":{"polluted":1},') : text;
}

function brokenMultipart(rand: Rand): { type: string; body: Buffer } {
  const b = 'XyZzY';
  const head = `--${b}\r\nContent-Disposition: form-data; name="file"; filename="a.fits"\r\nContent-Type: application/octet-stream\r\n\r\n`;
  const cases = [
    { type: 'multipart/form-data', body: Buffer.from(head + 'abc') },
    { type: `multipart/form-data; boundary=${b}`, body: Buffer.from(head + 'SIMPLE  =') },
    {
      type: `multipart/form-data; boundary=other`,
      body: Buffer.from(head + `abc\r\n--${b}--\r\n`),
    },
    {
      type: `multipart/form-data; boundary=${b}`,
      body: Buffer.from(`--${b}\r\nContent-Disposition: form-data\r\n\r\nx\r\n--${b}--\r\n`),
    },
    {
      type: `multipart/form-data; boundary=${b}`,
      body: Buffer.from(`--${b}\r\n${'X-Long: ' + 'a'.repeat(100_000)}\r\n\r\nx\r\n--${b}--\r\n`),
    },
    { type: `multipart/form-data; boundary=${b}`, body: Buffer.from(`--${b}--\r\n`) },
    {
      type: `multipart/form-data; boundary=${b}`,
      body: Buffer.from(head + `\r\n--${b}\r\n` + head.slice(b.length + 4) + `x\r\n--${b}--\r\n`),
    },
    { type: `multipart/form-data; boundary="${'b'.repeat(200)}"`, body: Buffer.alloc(0) },
    {
      type: `multipart/form-data; boundary=${b}`,
      body: Buffer.from(Array.from({ length: 2048 }, () => Math.floor(rand() * 256))),
    },
  ];
  return pick(rand, cases);
}

/** One malformed request against `route` (seeded). */
export function fuzzRequest(rand: Rand, route: RouteInfo, ctx: FuzzContext): FuzzRequest {
  const headers: Record<string, string> = {};
  const auth = rand();
  if (auth < 0.8) headers.authorization = `Bearer ${ctx.token}`;
  else if (auth < 0.9) headers.authorization = `Bearer ${ctx.otherToken}`;
  else if (auth < 0.95)
    headers.authorization = pick(rand, [
      'Bearer',
      'Basic abc',
      'Bearer a.b.c',
      `Bearer ${'x'.repeat(9000)}`,
    ]);
  const id = (): string => (rand() < 0.4 ? pick(rand, ctx.ids) : pick(rand, ODD_IDS));
  let path = fillPath(route.path, id);
  if (rand() < 0.4) path += oddQuery(rand);
  const method =
    rand() < 0.05 ? pick(rand, ['PUT', 'PATCH', 'DELETE', 'POST', 'GET']) : route.method;
  let kind = Math.floor(rand() * 6);
  // Oversized bodies cost the client most: one in five of their share is enough.
  if (kind === 4 && rand() > 0.2) kind = 2;
  let body: string | Buffer | undefined;
  let label = `${method} ${route.path}`;
  if (method === 'GET' || kind === 0) return { method, path, headers, label: `${label} (no body)` };
  if (route.path === '/api/assets' && method === 'POST' && kind < 4) {
    const multipart = brokenMultipart(rand);
    headers['content-type'] = multipart.type;
    return { method, path, headers, body: multipart.body, label: `${label} (broken multipart)` };
  }
  switch (kind) {
    case 1:
      body = pick(rand, RAW_BODIES);
      headers['content-type'] = 'application/json';
      label += ' (bad JSON)';
      break;
    case 2:
      body = mutatedBody(rand);
      headers['content-type'] = 'application/json';
      label += ' (odd values)';
      break;
    case 3:
      body = mutatedBody(rand);
      headers['content-type'] = pick(rand, [
        'text/plain',
        'application/xml',
        'application/x-www-form-urlencoded',
        'application/json; charset=utf-16',
        'application/json; charset=koi8-r',
      ]);
      label += ' (wrong content type)';
      break;
    case 4:
      body = `{"durationMs":1,"pad":"${'x'.repeat(1_100_000)}"}`;
      headers['content-type'] = 'application/json';
      label += ' (oversized)';
      break;
    default:
      body = Buffer.from(Array.from({ length: 512 }, () => Math.floor(rand() * 256)));
      headers['content-type'] = pick(rand, ['application/json', 'application/octet-stream']);
      label += ' (random bytes)';
  }
  if (rand() < 0.1)
    headers['idempotency-key'] = pick(rand, ['', 'k'.repeat(5000), '\u00ff\u00fe', 'a b']);
  return { method, path, headers, body, label };
}
