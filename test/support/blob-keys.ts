import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/app-config';
import { createS3Client } from '../../src/infra/blob/s3/s3-client';

/** Whether this test run keeps blobs on S3 (`npm run test:e2e:s3`). */
export const onS3 = (): boolean => Boolean(process.env.S3_BUCKET);

/**
 * Keys of the blobs under `prefix` (e.g. `jobs/<id>/`), relative to it, on whichever storage the
 * test app uses: the local blob folder of `dataDir`, or the S3 bucket of the run.
 */
export async function blobKeys(dataDir: string, prefix: string): Promise<string[]> {
  if (!onS3()) return localKeys(join(dataDir, 'blobs', prefix));
  const s3 = loadConfig(process.env).s3;
  if (!s3) return [];
  const client: S3Client = createS3Client(s3);
  try {
    const base = s3.prefix ? `${s3.prefix}/${prefix}` : prefix;
    const page = await client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: base }));
    return (page.Contents ?? []).map((o) => (o.Key ?? '').slice(base.length));
  } finally {
    client.destroy();
  }
}

function localKeys(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) =>
    statSync(join(dir, f)).isFile(),
  );
}
