import jwt from 'jsonwebtoken';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../config/app-config';
import { AuthService } from './auth.service';

describe(AuthService.name, () => {
  const config = loadConfig({
    DATA_DIR: mkdtempSync(join(tmpdir(), 'auth-')),
    AUTH_JWT_SECRET: 's3cret',
  });
  const sut = new AuthService(config);

  describe('verify', () => {
    it('should accept a token it signed and answer the same from its cache', () => {
      const token = sut.sign('alice', true);
      expect(sut.verify(token)).toMatchObject({ userId: 'alice', admin: true });
      expect(sut.verify(token)).toMatchObject({ userId: 'alice', admin: true });
    });

    it('should refuse a cached token once it has expired', () => {
      const now = Date.now();
      const token = jwt.sign({ sub: 'bob', exp: Math.floor(now / 1000) + 10 }, 's3cret');
      expect(sut.verify(token, now).userId).toBe('bob');
      expect(() => sut.verify(token, now + 11_000)).toThrow('invalid or expired token');
    });

    it('should refuse alg none and another secret', () => {
      const none = jwt.sign({ sub: 'eve' }, '', { algorithm: 'none' });
      expect(() => sut.verify(none)).toThrow('invalid or expired token');
      expect(() => sut.verify(jwt.sign({ sub: 'eve' }, 'other'))).toThrow(
        'invalid or expired token',
      );
    });
  });
});
