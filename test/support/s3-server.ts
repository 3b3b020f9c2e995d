import { S3Client } from '@aws-sdk/client-s3';
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { s3ClientConfig } from '../../src/infra/blob/s3/s3-client';

/** s3rver's fixed credentials. */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

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
    const parts = key.split('/');
    const last = parts.pop() ?? '';
    return existsSync(join(this.directory, this.bucket, ...parts, `${last}._S3rver_object`));
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
