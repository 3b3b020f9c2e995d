import { describe, expect, it } from 'vitest';
import {
  adoptTokenFromLocation,
  decodeClaims,
  isExpired,
  takeTokenFromHash,
  TOKEN_KEY,
} from './session';

const b64 = (o: object) =>
  btoa(JSON.stringify(o)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
const jwt = (payload: object) => `${b64({ alg: 'HS256' })}.${b64(payload)}.sig`;

describe('takeTokenFromHash', () => {
  it('should take the token and keep other hash parameters', () => {
    expect(takeTokenFromHash('#token=abc&x=1')).toEqual({ token: 'abc', rest: '#x=1' });
  });
  it('should return null when there is no token', () => {
    expect(takeTokenFromHash('#x=1')).toEqual({ token: null, rest: '#x=1' });
    expect(takeTokenFromHash('')).toEqual({ token: null, rest: '' });
  });
});

describe('decodeClaims', () => {
  it('should read sub, admin role and exp', () => {
    expect(decodeClaims(jwt({ sub: 'alice', role: 'admin', exp: 10 }))).toEqual({
      userId: 'alice',
      admin: true,
      expiresAt: 10_000,
    });
  });
  it('should reject something that is not a JWT', () => {
    expect(decodeClaims('hello')).toBeNull();
    expect(decodeClaims('a.b.c')).toBeNull();
  });
  it('should tell an expired token', () => {
    const claims = decodeClaims(jwt({ sub: 'bob', exp: 10 }))!;
    expect(isExpired(claims, 9_999)).toBe(false);
    expect(isExpired(claims, 10_000)).toBe(true);
    expect(claims.admin).toBe(false);
  });
});

describe('adoptTokenFromLocation', () => {
  it('should store the token and strip it from the address bar', () => {
    window.history.replaceState(null, '', '/library#token=t0k');
    adoptTokenFromLocation(sessionStorage, window);
    expect(sessionStorage.getItem(TOKEN_KEY)).toBe('t0k');
    expect(window.location.href).not.toContain('t0k');
    expect(window.location.pathname).toBe('/library');
  });
});
