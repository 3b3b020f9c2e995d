/** The signed-in session: a bearer JWT kept in sessionStorage (this tab's session only). */
export const TOKEN_KEY = 'darkroom.token';

export interface Claims {
  userId: string;
  admin: boolean;
  /** Expiry in ms since the epoch, when the token has one. */
  expiresAt?: number;
}

/** Reads `#token=…` from a location hash; returns the token and the hash without it. */
export function takeTokenFromHash(hash: string): { token: string | null; rest: string } {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const token = params.get('token');
  params.delete('token');
  const rest = params.toString();
  return { token: token && token.trim() ? token.trim() : null, rest: rest ? `#${rest}` : '' };
}

/** Decodes (does not verify: the server does) the payload of a JWT; null when it is not one. */
export function decodeClaims(token: string): Claims | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  try {
    const json = atob(parts[1].replace(/-/g, '+').replace(/_/g, '/'));
    const payload = JSON.parse(json) as { sub?: unknown; role?: unknown; exp?: unknown };
    if (typeof payload.sub !== 'string') return null;
    return {
      userId: payload.sub,
      admin: payload.role === 'admin',
      expiresAt: typeof payload.exp === 'number' ? payload.exp * 1000 : undefined,
    };
  } catch {
    return null;
  }
}

export function isExpired(claims: Claims, now = Date.now()): boolean {
  return claims.expiresAt !== undefined && claims.expiresAt <= now;
}

/** Moves a token from the address bar into sessionStorage and strips it from the URL. */
export function adoptTokenFromLocation(storage: Storage, win: Window): void {
  const { token, rest } = takeTokenFromHash(win.location.hash);
  if (!token) return;
  storage.setItem(TOKEN_KEY, token);
  const { pathname, search } = win.location;
  win.history.replaceState(win.history.state, '', `${pathname}${search}${rest}`);
}
