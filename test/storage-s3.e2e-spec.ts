import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { eventually } from './support/http';
import { S3RVER_CREDENTIALS, S3TestServer } from './support/s3-server';
import { TestApp } from './support/test-app';
import { pngImage, uploadAsset } from './support/upload';

/** The app with its blobs on s3rver: every byte it serves must come from the bucket. */
describe('Blob storage on S3 (e2e)', () => {
  let s3: S3TestServer;
  let t: TestApp;
  let alice: string;
  const saved = { ...process.env };

  beforeAll(async () => {
    s3 = await S3TestServer.start('darkroom-e2e-own');
    process.env.AWS_ACCESS_KEY_ID = S3RVER_CREDENTIALS.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = S3RVER_CREDENTIALS.secretAccessKey;
    t = await TestApp.start(s3.appEnv());
    alice = t.token('alice');
  });

  afterAll(async () => {
    await t.close();
    await s3.close();
    process.env.AWS_ACCESS_KEY_ID = saved.AWS_ACCESS_KEY_ID;
    process.env.AWS_SECRET_ACCESS_KEY = saved.AWS_SECRET_ACCESS_KEY;
  });

  const uploadPng = async (): Promise<{ id: string; bytes: Buffer; body: any }> => {
    const bytes = await pngImage(40, 30, '#884422');
    const res = await uploadAsset(t, alice, bytes, 'orange.png');
    expect(res.status).toBe(201);
    return { id: res.body.id, bytes, body: res.body };
  };

  it('should keep an upload in the bucket and serve its content from there', async () => {
    const { id, bytes } = await uploadPng();
    expect(s3.objectBytes(`assets/${id}/original`)).toEqual(bytes);
    expect(existsSync(join(t.dataDir, 'blobs'))).toBe(false);
    const content = await t.request('GET', `/api/assets/${id}/content`, { token: alice });
    expect(content.status).toBe(200);
    expect(content.bytes).toEqual(bytes);
  });

  it('should render the thumbnail into the bucket and serve it from there', async () => {
    const { id } = await uploadPng();
    const asset = await eventually(async () => {
      const res = await t.request('GET', `/api/assets/${id}`, { token: alice });
      return res.body.thumbnailUrl ? res.body : undefined;
    });
    const key = `assets/${id}/thumbnail-256.webp`;
    expect(s3.hasObject(key)).toBe(true);
    const thumb = await t.request('GET', asset.thumbnailUrl);
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get('content-type')).toBe('image/webp');
    expect(thumb.bytes).toEqual(s3.objectBytes(key));
  });

  it('should write a job result to the bucket and download it, whole and by range', async () => {
    const submit = await t.request('POST', '/api/diagnostics/jobs', {
      token: alice,
      body: { durationMs: 0, steps: 1, resultBytes: 300_000 },
    });
    expect(submit.status).toBe(202);
    const job = await t.waitForState(submit.body.jobId, alice);
    expect(job.state).toBe('completed');
    const [key] = s3.objectKeys(`jobs/${job.id}/`);
    expect(key).toBeDefined();
    const stored = s3.objectBytes(key);
    expect(stored.length).toBe(300_000);
    const whole = await t.request('GET', job.result.downloadUrl);
    expect(whole.status).toBe(200);
    expect(whole.bytes).toEqual(stored);
    const part = await t.request('GET', job.result.downloadUrl, {
      headers: { range: 'bytes=0-0' },
    });
    expect(part.status).toBe(206);
    expect(part.bytes).toEqual(stored.subarray(0, 1));
    const tail = await t.request('GET', `/api/jobs/${job.id}/result`, {
      token: alice,
      headers: { range: 'bytes=299990-' },
    });
    expect(tail.status).toBe(206);
    expect(tail.bytes).toEqual(stored.subarray(299_990));
  });

  it('should delete the blobs of a deleted job and a deleted asset from the bucket', async () => {
    const submit = await t.request('POST', '/api/diagnostics/jobs', {
      token: alice,
      body: { durationMs: 0, steps: 1, resultBytes: 1000 },
    });
    const job = await t.waitForState(submit.body.jobId, alice);
    expect(s3.objectKeys(`jobs/${job.id}/`)).toHaveLength(1);
    expect((await t.request('DELETE', `/api/jobs/${job.id}`, { token: alice })).status).toBe(204);
    expect(s3.objectKeys(`jobs/${job.id}/`)).toEqual([]);

    const { id } = await uploadPng();
    await eventually(() =>
      Promise.resolve(s3.hasObject(`assets/${id}/thumbnail-256.webp`) || undefined),
    );
    expect(s3.objectKeys(`assets/${id}/`)).toHaveLength(2);
    expect((await t.request('DELETE', `/api/assets/${id}`, { token: alice })).status).toBe(204);
    expect(s3.objectKeys(`assets/${id}/`)).toEqual([]);
  });

  describe('with S3_PRESIGNED_DOWNLOADS=on', () => {
    let direct: TestApp;

    beforeAll(async () => {
      direct = await TestApp.start({ ...s3.appEnv(), S3_PRESIGNED_DOWNLOADS: 'on' });
    });

    afterAll(() => direct.close());

    it('should redirect a signed content link to a presigned S3 URL', async () => {
      const bytes = await pngImage(16, 16);
      const token = direct.token('carol');
      const res = await uploadAsset(direct, token, bytes, 'small.png');
      const signed = await direct.request('GET', res.body.contentUrl);
      expect(signed.status).toBe(302);
      const location = signed.headers.get('location') ?? '';
      expect(
        location.startsWith(`${s3.endpoint}/${s3.bucket}/assets/${res.body.id}/original?`),
      ).toBe(true);
      expect(location).toMatch(/X-Amz-Signature=/);
      const fromS3 = await fetch(location);
      expect(fromS3.status).toBe(200);
      expect(Buffer.from(await fromS3.arrayBuffer())).toEqual(bytes);
    });

    it('should redirect a signed result link to a presigned S3 URL', async () => {
      const token = direct.token('carol');
      const submit = await direct.request('POST', '/api/diagnostics/jobs', {
        token,
        body: { durationMs: 0, resultBytes: 1000 },
      });
      const job = await direct.waitForState(submit.body.jobId, token);
      const signed = await direct.request('GET', job.result.downloadUrl);
      expect([302, 303]).toContain(signed.status);
      const location = signed.headers.get('location') ?? '';
      expect(location).toMatch(/X-Amz-Signature=/);
      const fromS3 = await fetch(location);
      expect(fromS3.status).toBe(200);
      expect((await fromS3.arrayBuffer()).byteLength).toBe(1000);
    });

    it('should still stream to a bearer-authenticated client', async () => {
      const bytes = await pngImage(8, 8);
      const token = direct.token('carol');
      const res = await uploadAsset(direct, token, bytes, 'tiny.png');
      const content = await direct.request('GET', `/api/assets/${res.body.id}/content`, { token });
      expect(content.status).toBe(200);
      expect(content.bytes).toEqual(bytes);
    });
  });
});
