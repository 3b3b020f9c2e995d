import { createContext, ReactNode, useCallback, useContext, useMemo, useState } from 'react';
import { ApiClient } from '../api/client';
import { Claims, decodeClaims, isExpired, TOKEN_KEY } from './session';

interface SessionValue {
  token: string | null;
  claims: Claims | null;
  api: ApiClient;
  /** Why the person is back at sign-in (expired token…), if they did not sign out themselves. */
  notice: string | null;
  signIn(token: string): string | null;
  signOut(notice?: string): void;
}

const SessionContext = createContext<SessionValue | null>(null);

function initialToken(): string | null {
  const token = sessionStorage.getItem(TOKEN_KEY);
  const claims = token ? decodeClaims(token) : null;
  return claims && !isExpired(claims) ? token : null;
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [token, setToken] = useState<string | null>(initialToken);
  const [notice, setNotice] = useState<string | null>(() =>
    sessionStorage.getItem(TOKEN_KEY) && !initialToken()
      ? 'Your session has expired. Sign in again.'
      : null,
  );
  const signOut = useCallback((why?: string) => {
    sessionStorage.removeItem(TOKEN_KEY);
    setToken(null);
    setNotice(why ?? null);
  }, []);
  const signIn = useCallback((raw: string): string | null => {
    const candidate = raw.trim().replace(/^.*#token=/, '');
    const claims = decodeClaims(candidate);
    if (!claims) return 'This is not a Darkroom token (expected three dot-separated parts).';
    if (isExpired(claims)) return 'This token has expired. Ask for a new one (npm run token).';
    sessionStorage.setItem(TOKEN_KEY, candidate);
    setToken(candidate);
    setNotice(null);
    return null;
  }, []);
  const api = useMemo(
    () =>
      new ApiClient(
        () => sessionStorage.getItem(TOKEN_KEY),
        () => signOut('Your session has expired or was refused. Sign in again.'),
      ),
    [signOut],
  );
  const value = useMemo<SessionValue>(
    () => ({ token, claims: token ? decodeClaims(token) : null, api, notice, signIn, signOut }),
    [token, api, notice, signIn, signOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

export const useApi = (): ApiClient => useSession().api;
