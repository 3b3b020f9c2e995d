import { S3Client } from '@aws-sdk/client-s3';
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { s3ClientConfig } from '../../src/infra/blob/s3/s3-client';

/** s3rver's fixed credentials. */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/** s3rver keeps the object `a/b` as the file `a/b._S3rver_object`. */
const OBJECT_SUFFIX = '._S3rver_object';
const SCRIPT = join(__dirname, '../../scripts/s3rver.mjs');

/**
 * s3rver in a child process (its memory is not the test's) on a random loopback port, with one
 * bucket, storing objects under `directory`.
 */
export class S3TestServer {
  private constructor(
    private readonly child: ChildProcess,
    readonly endpoint: string,
    readonly directory: string,
    readonly bucket: string,
  ) {}

  static start(bucket = 'darkroom-test'): Promise<S3TestServer> {
    const directory = mkdtempSync(join(tmpdir(), 'darkroom-s3rver-'));
    const args = [
      '--openssl-legacy-provider',
      SCRIPT,
      '--directory',
      directory,
      '--bucket',
      bucket,
    ];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    return new Promise((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`s3rver did not start: ${out}`)), 20_000);
      const onData = (chunk: Buffer): void => {
        out += chunk.toString();
        const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (!match) return;
        clearTimeout(timer);
        child.stdout.off('data', onData);
        resolve(new S3TestServer(child, match[1], directory, bucket));
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', (c: Buffer) => (out += c.toString()));
      child.once('exit', (code) => reject(new Error(`s3rver exited ${code}: ${out}`)));
    });
  }

  /** A client as the app builds it, with s3rver's credentials. */
  client(): S3Client {
    const settings = { bucket: this.bucket, endpoint: this.endpoint, forcePathStyle: true };
    return new S3Client({ ...s3ClientConfig(settings), credentials: S3RVER_CREDENTIALS });
  }

  /** Whether s3rver holds the object `key` of the bucket (read from its store on disk). */
  hasObject(key: string): boolean {
    return existsSync(join(this.directory, this.bucket, key + OBJECT_SUFFIX));
  }

  /** Keys of the objects under `prefix` (a folder), read from s3rver's store on disk. */
  objectKeys(prefix: string): string[] {
    const dir = join(this.directory, this.bucket, prefix);
    if (!existsSync(dir)) return [];
    return readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith(OBJECT_SUFFIX))
      .map((f) => prefix + f.slice(0, -OBJECT_SUFFIX.length));
  }

  /** The bytes s3rver stores for `key`. */
  objectBytes(key: string): Buffer {
    return readFileSync(join(this.directory, this.bucket, key + OBJECT_SUFFIX));
  }

  /** The environment that points the app at this server. */
  appEnv(): Record<string, string> {
    return {
      S3_BUCKET: this.bucket,
      S3_ENDPOINT: this.endpoint,
      S3_REGION: 'us-east-1',
      S3_FORCE_PATH_STYLE: 'true',
    };
  }

  async close(): Promise<void> {
    if (this.child.exitCode === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      this.child.kill('SIGTERM');
      await exited;
    }
    rmSync(this.directory, { recursive: true, force: true });
  }
}
