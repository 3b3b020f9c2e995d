import { existsSync } from 'node:fs';
import { CLIENT_DIR } from '../src/core/web/spa-static';
import { TestApp } from './support/test-app';

const html = { headers: { accept: 'text/html,application/xhtml+xml' } };

/** The built SPA at `/`, its client-side routes, and the server's own paths left alone. */
describe('SPA static serving', () => {
  let t: TestApp;

  beforeAll(async () => {
    expect(existsSync(`${CLIENT_DIR}/index.html`)).toBe(true); // npm run build made it
    t = await TestApp.start();
  });

  afterAll(() => t?.close());

  it('should answer / and client routes with the app, without a token', async () => {
    for (const path of ['/', '/jobs', '/composite?x=1']) {
      const res = await t.request('GET', path, html);
      expect([res.status, res.headers.get('content-type')]).toEqual([
        200,
        'text/html; charset=utf-8',
      ]);
      expect(res.body).toContain('<div id="root">');
    }
  });

  it('should serve hashed assets with a long cache life', async () => {
    const page = await t.request('GET', '/', html);
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(page.body as string)![1];
    const res = await t.request('GET', script);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toContain('immutable');
  });

  it('should never answer API, health, metrics or socket paths with the app', async () => {
    const api = await t.request('GET', '/api/no-such-route', html);
    expect([api.status, api.body.code]).toEqual([404, 'not_found']);
    const jobs = await t.request('GET', '/api/jobs', html);
    expect(jobs.status).toBe(401);
    const live = await t.request('GET', '/health/live', html);
    expect([live.status, live.headers.get('content-type')]).toEqual([
      200,
      expect.stringContaining('application/json'),
    ]);
    const metrics = await t.request('GET', '/metrics', html);
    expect(String(metrics.body)).not.toContain('<div id="root">');
  });

  it('should leave a missing file that no browser page asks for as a 404', async () => {
    const res = await t.request('GET', '/assets/missing.js', { headers: { accept: '*/*' } });
    expect(res.status).toBe(404);
  });
});
