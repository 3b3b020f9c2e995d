#!/usr/bin/env node
// s3rver (a local S3 stand-in) for tests: `node --openssl-legacy-provider scripts/s3rver.mjs
// --directory DIR --bucket NAME [--port 0]`. Prints `s3rver listening on http://127.0.0.1:<port>`.
// The legacy provider is needed because s3rver signs list continuation tokens with DES.
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';

const require = createRequire(import.meta.url);
const S3rver = require('s3rver');

const { values } = parseArgs({
  options: {
    directory: { type: 'string' },
    bucket: { type: 'string', default: 'darkroom' },
    port: { type: 'string', default: '0' },
  },
});
if (!values.directory) {
  console.error('usage: s3rver.mjs --directory DIR [--bucket NAME] [--port N]');
  process.exit(2);
}
const server = new S3rver({
  address: '127.0.0.1',
  port: Number(values.port),
  silent: true,
  directory: values.directory,
  configureBuckets: [{ name: values.bucket }],
});
const { port } = await server.run();
console.log(`s3rver listening on http://127.0.0.1:${port}`);
const stop = () => server.close().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
