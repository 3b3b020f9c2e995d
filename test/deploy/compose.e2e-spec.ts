import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validate } from 'dockerfile-utils';

const ROOT = join(__dirname, '..', '..');

/** `docker compose` (plugin) or `docker-compose` (Debian's v1): both check a file without an engine. */
function composeCommand(): string[] | null {
  if (spawnSync('docker', ['compose', 'version'], { stdio: 'ignore' }).status === 0) {
    return ['docker', 'compose'];
  }
  if (spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0) {
    return ['docker-compose'];
  }
  return null;
}

const compose = composeCommand();

describe('Production deployment files', () => {
  (compose ? it : it.skip)(
    `should validate docker-compose.yml with ${compose?.join(' ') ?? 'docker compose (not installed: apt-get install docker-compose)'}`,
    () => {
      const [command, ...args] = compose!;
      const result = spawnSync(command, [...args, '-f', 'docker-compose.yml', 'config'], {
        cwd: ROOT,
        encoding: 'utf8',
      });
      expect({ status: result.status, stderr: result.stderr }).toMatchObject({ status: 0 });
      // The `services:` block only (v2 also prints `name:`, `networks:` and `volumes:`).
      const block = /^services:\n((?: .*\n|\n)*)/m.exec(result.stdout)?.[1] ?? '';
      const services = [...block.matchAll(/^ {2}([a-z-]+):$/gm)].map((m) => m[1]);
      expect(services.sort()).toEqual([
        'app',
        'minio',
        'minio-init',
        'mongo',
        'mongo-init',
        'proxy',
      ]);
      expect(result.stdout).toMatch(/replicas: 2/);
      expect(result.stdout).toMatch(/MONGO_URL: mongodb:\/\/mongo:27017\/darkroom\?replicaSet=rs0/);
      expect(result.stdout).toMatch(/S3_BUCKET: darkroom/);
    },
  );

  it('should lint the Dockerfile clean (dockerfile-utils, the VS Code Docker validator)', () => {
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    const problems = validate(dockerfile).map((d) => ({
      line: d.range.start.line + 1,
      problem: d.message,
    }));
    expect(problems).toEqual([]);
    // The linter is live: a broken instruction is reported.
    expect(validate('FROM node:22\nEXPOSE 3000/foo\n')).toHaveLength(1);
  });

  it('should build a non-root image whose health check asks /health/ready and whose node gets SIGTERM', () => {
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    const stages = dockerfile.match(/^FROM /gm) ?? [];
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(dockerfile).toMatch(/^USER (node|\d+)/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK [^]*?\/health\/ready/m);
    // Exec form: node itself is PID 1, so `docker stop` (SIGTERM) reaches it.
    expect(dockerfile).toMatch(/^CMD \["node",/m);
  });
});
