import { Logger } from '@nestjs/common';
import { AuthService } from './core/auth/auth.service';
import { createApp } from './bootstrap';
import { loadConfig } from './config/app-config';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    console.error((err as Error).message);
    process.exit(2);
  }
  const app = await createApp(config);
  await app.listen(config.port, config.host);
  const url = await app.getUrl();
  const logger = new Logger('Darkroom');
  logger.log(`listening on ${url}`);
  // Only on a developer's machine: development, or NODE_ENV unset on a loopback HOST.
  if (config.ops.adminLink) {
    const token = app.get(AuthService).sign('admin', true);
    const { port } = new URL(url); // the bound port, also when PORT is 0
    logger.log(`sign in as the local admin: http://localhost:${port}/#token=${token}`);
  }
}

void main();
