import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Test support: cross-checks against astropy and fitsverify. CI installs them
 * (`apt-get install python3-astropy fitsverify`); locally the checks are skipped, loudly.
 */
export const PYTHON = '/usr/bin/python3';

function succeeds(command: string, args: string[]): boolean {
  const result = spawnSync(command, args, { stdio: 'ignore' });
  return result.status === 0;
}

/** True when /usr/bin/python3 can import astropy and numpy. */
export const hasAstropy: boolean = succeeds(PYTHON, ['-c', 'import astropy, numpy']);
/** True when /usr/bin/python3 can also import reproject (`apt-get install python3-reproject`). */
export const hasReproject: boolean = hasAstropy && succeeds(PYTHON, ['-c', 'import reproject']);
/** True when `fitsverify` is on the PATH. */
export const hasFitsverify: boolean = succeeds('sh', ['-c', 'command -v fitsverify']);

/** Runs a Python snippet and returns its stdout; throws with stderr on failure. */
export function runPython(code: string, args: string[] = []): string {
  const result = spawnSync(PYTHON, ['-c', code, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (result.status !== 0) throw new Error(`python failed: ${result.stderr}`);
  return result.stdout;
}

/** Runs `fitsverify -q` on the bytes; returns its exit status and output. */
export function fitsverify(bytes: Uint8Array): { ok: boolean; output: string } {
  return withTempFile(bytes, '.fits', (file) => {
    const result = spawnSync('fitsverify', ['-q', file], { encoding: 'utf8' });
    return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
  });
}

/** Writes the bytes to a temporary file, calls `fn` with its path, then removes it. */
export function withTempFile<T>(bytes: Uint8Array, suffix: string, fn: (file: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'darkroom-imaging-'));
  try {
    const file = join(dir, `data${suffix}`);
    writeFileSync(file, bytes);
    return fn(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `describe` when the tool is there, otherwise one skipped test that says why. */
export function describeWithTool(
  available: boolean,
  tool: string,
  name: string,
  fn: () => void,
): void {
  if (available) {
    describe(name, fn);
    return;
  }
  describe(name, () => {
    it.skip(`skipped: ${tool} is not installed (apt-get install python3-astropy fitsverify)`, () =>
      undefined);
  });
}
