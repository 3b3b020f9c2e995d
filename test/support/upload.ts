import sharp from 'sharp';
import { readFitsHeader, writeFits } from '../../src/imaging';
import { HttpResponse } from './http';
import { TestApp } from './test-app';

/** Uploads `bytes` as the multipart field `file` (plus optional `name`) with Node's fetch. */
export async function uploadAsset(
  t: TestApp,
  token: string,
  bytes: Buffer,
  filename = 'upload.bin',
  name?: string,
): Promise<HttpResponse> {
  const form = new FormData();
  if (name !== undefined) form.append('name', name);
  form.append('file', new Blob([bytes]), filename);
  const res = await fetch(`${t.url}/api/assets`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  const raw = Buffer.from(await res.arrayBuffer());
  const type = res.headers.get('content-type') ?? '';
  const body: unknown = type.includes('json') ? JSON.parse(raw.toString('utf8')) : raw.toString();
  return { status: res.status, headers: res.headers, body, bytes: raw };
}

/** A float32 FITS image whose pixel (x, y) — y counted from FITS row 1 — is `f(x, y)`. */
export function fitsImage(
  width: number,
  height: number,
  f: (x: number, y: number) => number,
): Buffer {
  const data = new Float32Array(width * height);
  for (let y = 0; y < height; y += 1)
    for (let x = 0; x < width; x += 1) data[y * width + x] = f(x, y);
  return writeFits({ width, height, data });
}

/** An RGB PNG of one colour. */
export function pngImage(width: number, height: number, background = '#336699'): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background } })
    .png()
    .toBuffer();
}

/** Raw RGB(A) pixels of an encoded image, with an accessor for (x, y) from the top-left. */
export async function pixels(bytes: Buffer) {
  const { data, info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
  const at = (x: number, y: number): number[] => {
    const i = (y * info.width + x) * info.channels;
    return Array.from(data.subarray(i, i + info.channels));
  };
  return { info, at };
}

/** All planes of a float32 FITS image or cube (row 0 = FITS row 1), read straight from the data unit. */
export function fitsPlanes(bytes: Buffer): {
  width: number;
  height: number;
  planes: Float32Array[];
} {
  const info = readFitsHeader(bytes);
  expect(info.bitpix).toBe(-32);
  const n = info.width * info.height;
  const planes = Array.from({ length: info.depth }, (_, p) => {
    const plane = new Float32Array(n);
    const start = info.hdu.dataOffset + p * n * 4;
    for (let i = 0; i < n; i += 1) plane[i] = bytes.readFloatBE(start + i * 4);
    return plane;
  });
  return { width: info.width, height: info.height, planes };
}

/** Submits an export and waits for its job to finish; returns the finished job. */
export async function runExport(t: TestApp, token: string, path: string, body: unknown) {
  const res = await t.request('POST', path, { token, body });
  if (res.status !== 202) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return t.waitForState(res.body.jobId, token);
}

/** Downloads a completed job's result file. */
export async function download(t: TestApp, token: string, job: { id: string }): Promise<Buffer> {
  const res = await t.request('GET', `/api/jobs/${job.id}/result`, { token });
  if (res.status !== 200) throw new Error(`result: ${res.status}`);
  return res.bytes;
}
