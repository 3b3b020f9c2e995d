import { Inject, Injectable } from '@nestjs/common';
import { createHmac, createSecretKey, KeyObject, timingSafeEqual } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { UnauthorizedError } from '../errors/app-error';
import { loadOrCreateSecret } from './auth-secret';
import { Principal } from './principal';

const SIGNED_LINK_TTL_S = 3600;
/** Verified tokens remembered (clients send the same token with every request). */
const VERIFIED_CACHE_SIZE = 10_000;

type Verified = Principal & { expiresAt?: number };

/** Bearer tokens (HS256 JWT) and signed, expiring links for header-less downloads. */
@Injectable()
export class AuthService {
  private readonly secret: string;
  /** A key object once: jsonwebtoken would otherwise parse the string secret on every call. */
  private readonly key: KeyObject;
  private readonly linkKey: Buffer;
  private readonly verified = new Map<string, Verified>();

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.secret = loadOrCreateSecret(config.dataDir, config.jwtSecret);
    this.key = createSecretKey(Buffer.from(this.secret));
    this.linkKey = createHmac('sha256', this.secret).update('darkroom-links').digest();
  }

  sign(userId: string, admin = false, expiresInS = 7 * 24 * 3600): string {
    const claims = admin ? { role: 'admin' } : {};
    return jwt.sign(claims, this.key, {
      algorithm: 'HS256',
      subject: userId,
      expiresIn: expiresInS,
    });
  }

  /** Verifies a bearer token; throws UnauthorizedError for none/wrong alg, bad signature, expiry. */
  verify(token: string, now = Date.now()): Verified {
    const known = this.verified.get(token);
    if (known && (known.expiresAt === undefined || known.expiresAt > now)) return { ...known };
    this.verified.delete(token);
    const principal = this.verifyToken(token, now);
    if (this.verified.size >= VERIFIED_CACHE_SIZE) {
      this.verified.delete(this.verified.keys().next().value as string);
    }
    this.verified.set(token, principal);
    return { ...principal };
  }

  private verifyToken(token: string, now: number): Verified {
    try {
      const claims = jwt.verify(token, this.key, {
        algorithms: ['HS256'],
        clockTimestamp: Math.floor(now / 1000),
      }) as jwt.JwtPayload;
      if (typeof claims.sub !== 'string' || claims.sub === '') throw new Error('no subject');
      const expiresAt = typeof claims.exp === 'number' ? claims.exp * 1000 : undefined;
      return { userId: claims.sub, admin: claims.role === 'admin', expiresAt };
    } catch {
      throw new UnauthorizedError('invalid or expired token');
    }
  }

  /** A path with `exp` and `sig` query parameters that `verifyLink` accepts until expiry. */
  signLink(path: string, ttlS = SIGNED_LINK_TTL_S, now = Date.now()): string {
    const exp = Math.floor(now / 1000) + ttlS;
    return `${path}?exp=${exp}&sig=${this.linkSignature(path, exp)}`;
  }

  verifyLink(path: string, exp: unknown, sig: unknown, now = Date.now()): boolean {
    if (typeof exp !== 'string' || typeof sig !== 'string' || !/^\d+$/.test(exp)) return false;
    if (Number(exp) * 1000 < now) return false;
    const expected = Buffer.from(this.linkSignature(path, Number(exp)));
    const given = Buffer.from(sig);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  private linkSignature(path: string, exp: number): string {
    return createHmac('sha256', this.linkKey).update(`${path}\n${exp}`).digest('base64url');
  }
}
