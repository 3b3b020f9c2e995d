#!/usr/bin/env node
// Prints a bearer token for the configured (or DATA_DIR-generated) secret:
//   npm run token -- --user alice [--admin] [--hours 168]
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';

const require = createRequire(import.meta.url);
if (!existsSync(new URL('../dist/config/app-config.js', import.meta.url))) {
  console.error('build first: npm run build');
  process.exit(2);
}
const { loadConfig } = require('../dist/config/app-config.js');
const { loadOrCreateSecret } = require('../dist/core/auth/auth-secret.js');
const jwt = require('jsonwebtoken');

const args = process.argv.slice(2);
const option = (name) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const user = option('user');
if (!user) {
  console.error('usage: npm run token -- --user <id> [--admin] [--hours N]');
  process.exit(2);
}
const config = loadConfig();
const secret = loadOrCreateSecret(config.dataDir, config.jwtSecret);
const hours = Number(option('hours') ?? 168);
const claims = args.includes('--admin') ? { role: 'admin' } : {};
console.log(jwt.sign(claims, secret, { algorithm: 'HS256', subject: user, expiresIn: hours * 3600 }));
