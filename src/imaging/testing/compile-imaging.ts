import { transformFileSync } from '@swc/core';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/**
 * Test support: compiles src/imaging (specs excluded) to CommonJS with swc so worker threads can
 * load the real worker under jest. Output goes below node_modules/.cache so `require('sharp')`
 * resolves. Takes ~100 ms; `tsc -p tsconfig.build.json` produces the same layout in dist/.
 */
export function compileImaging(outDir: string): string {
  const root = join(__dirname, '..');
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (path.endsWith('.ts') && !path.endsWith('.spec.ts'))
        emit(path, join(outDir, relative(root, path)).replace(/\.ts$/, '.js'));
    }
  };
  walk(root);
  return join(outDir, 'pool', 'imaging.worker.js');
}

function emit(source: string, target: string): void {
  const { code } = transformFileSync(source, {
    module: { type: 'commonjs' },
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
  });
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, code);
}
