import { redactUrl } from './redact';

describe('redactUrl', () => {
  it('should hide signed-link signatures and query tokens', () => {
    expect(redactUrl('/api/jobs/1/result?exp=99&sig=abc')).toBe(
      '/api/jobs/1/result?exp=99&sig=[Redacted]',
    );
    expect(redactUrl('/api/sse/jobs/1?access_token=eyJ.x.y&x=1')).toBe(
      '/api/sse/jobs/1?access_token=[Redacted]&x=1',
    );
    expect(redactUrl('/x?TOKEN=a')).toBe('/x?TOKEN=[Redacted]');
  });

  it('should leave other URLs alone', () => {
    expect(redactUrl('/api/jobs?state=queued&signal=1')).toBe('/api/jobs?state=queued&signal=1');
    expect(redactUrl(undefined)).toBeUndefined();
  });
});
