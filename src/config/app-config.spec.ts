import { ConfigError, jobTypePolicy, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('should apply the documented defaults', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.host).toBe('127.0.0.1');
    expect(config.queueCapacity).toBe(200);
    expect(config.userQueueCapacity).toBe(50);
    expect(config.resultTtlMs).toBe(24 * 3600 * 1000);
    expect(config.diagnostics).toBe(false);
  });

  it('should name the variable when a value is wrong', () => {
    expect(() => loadConfig({ QUEUE_CAPACITY: 'lots' })).toThrow(/QUEUE_CAPACITY/);
    expect(() => loadConfig({ PORT: '70000' })).toThrow(ConfigError);
    expect(() => loadConfig({ DIAGNOSTICS: 'maybe' })).toThrow(/DIAGNOSTICS/);
    expect(() => loadConfig({ MONGO_URL: 'http://x' })).toThrow(/MONGO_URL/);
  });

  it('should turn diagnostics on only in development and test, or when asked', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).diagnostics).toBe(false);
    expect(loadConfig({ NODE_ENV: 'development' }).diagnostics).toBe(true);
    expect(loadConfig({ NODE_ENV: 'test' }).diagnostics).toBe(true);
    expect(loadConfig({ NODE_ENV: 'production', DIAGNOSTICS: 'on' }).diagnostics).toBe(true);
  });

  it('should read the S3 settings only when S3_BUCKET is set', () => {
    expect(loadConfig({ S3_ENDPOINT: 'http://minio:9000' }).s3).toBeUndefined();
    const env = { S3_BUCKET: 'b', S3_FORCE_PATH_STYLE: 'true', S3_PREFIX: '/darkroom/blobs/' };
    expect(loadConfig(env).s3).toEqual({
      bucket: 'b',
      endpoint: undefined,
      region: undefined,
      forcePathStyle: true,
      prefix: 'darkroom/blobs',
      presignedDownloads: false,
    });
    expect(
      loadConfig({ S3_BUCKET: 'b', S3_PRESIGNED_DOWNLOADS: 'on' }).s3?.presignedDownloads,
    ).toBe(true);
  });

  it('should refuse an S3_PREFIX that leaves its folder', () => {
    expect(() => loadConfig({ S3_BUCKET: 'b', S3_PREFIX: 'a/../b' })).toThrow(/S3_PREFIX/);
  });
});

describe('jobTypePolicy', () => {
  it('should let env override a type policy', () => {
    const config = loadConfig({ COMPOSITE_CONCURRENCY: '3', COMPOSITE_TIMEOUT_S: '10' });
    const policy = jobTypePolicy(config, 'composite', {
      concurrency: 1,
      timeoutMs: 60_000,
      maxAttempts: 2,
    });
    expect(policy).toEqual({ concurrency: 3, timeoutMs: 10_000, maxAttempts: 2 });
  });

  it('should reject a bad override naming it', () => {
    const config = loadConfig({ MOSAIC_MAX_ATTEMPTS: '0' });
    expect(() =>
      jobTypePolicy(config, 'mosaic', { concurrency: 1, timeoutMs: 1000, maxAttempts: 1 }),
    ).toThrow(/MOSAIC_MAX_ATTEMPTS/);
  });
});
