import { useEffect, useState } from 'react';

export const ROUTES = [
  { path: '/library', label: 'Library' },
  { path: '/composite', label: 'Composite' },
  { path: '/mosaic', label: 'Mosaic' },
  { path: '/jobs', label: 'Jobs' },
  { path: '/admin', label: 'Queue' },
] as const;

export type RoutePath = (typeof ROUTES)[number]['path'];

function current(): RoutePath {
  const found = ROUTES.find((r) => window.location.pathname.startsWith(r.path));
  return found?.path ?? '/library';
}

/** Client-side routes on the History API (the server answers every page path with index.html). */
export function useRoute(): RoutePath {
  const [route, setRoute] = useState<RoutePath>(current);
  useEffect(() => {
    const update = () => setRoute(current());
    window.addEventListener('popstate', update);
    return () => window.removeEventListener('popstate', update);
  }, []);
  return route;
}

export function navigate(path: string): void {
  if (window.location.pathname + window.location.search === path) return;
  window.history.pushState(null, '', path);
  window.dispatchEvent(new PopStateEvent('popstate'));
}
