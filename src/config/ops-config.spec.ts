import { loadOpsConfig } from './ops-config';

describe('loadOpsConfig', () => {
  it('should apply the documented defaults', () => {
    const ops = loadOpsConfig({});
    expect(ops.submissionsPerMinute).toBe(120);
    expect(ops.uploadsPerMinute).toBe(60);
    expect(ops.corsOrigins).toEqual([]);
    expect(ops.logLevel).toBe('info');
    expect(ops.prettyLogs).toBe(false);
  });

  it('should read 0 as a limit turned off and name a bad variable', () => {
    expect(loadOpsConfig({ RATE_LIMIT_PER_MINUTE: '0' }).submissionsPerMinute).toBe(0);
    expect(() => loadOpsConfig({ UPLOADS_PER_MINUTE: '-1' })).toThrow(/UPLOADS_PER_MINUTE/);
    expect(() => loadOpsConfig({ CORS_ORIGINS: 'not a url' })).toThrow(/CORS_ORIGINS/);
    expect(() => loadOpsConfig({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
  });

  it('should split CORS_ORIGINS on commas', () => {
    const ops = loadOpsConfig({ CORS_ORIGINS: 'https://a.example, http://b.example:8080' });
    expect(ops.corsOrigins).toEqual(['https://a.example', 'http://b.example:8080']);
  });

  it('should log the admin link only in development or unset NODE_ENV on loopback', () => {
    expect(loadOpsConfig({}).adminLink).toBe(true);
    expect(loadOpsConfig({ NODE_ENV: 'development', HOST: '0.0.0.0' }).adminLink).toBe(true);
    expect(loadOpsConfig({ HOST: '0.0.0.0' }).adminLink).toBe(false);
    expect(loadOpsConfig({ NODE_ENV: 'production' }).adminLink).toBe(false);
    expect(loadOpsConfig({ NODE_ENV: 'test' }).adminLink).toBe(false);
  });
});
