import { ComponentType, MouseEvent, useEffect } from 'react';
import { SignIn } from './auth/sign-in';
import { useSession } from './auth/session-context';
import { AdminPage } from './features/admin/admin-page';
import { CompositePage } from './features/composite/composite-page';
import { JobsPage } from './features/jobs/jobs-page';
import { LibraryPage } from './features/library/library-page';
import { MosaicPage } from './features/mosaic/mosaic-page';
import { LiveProvider } from './live/live-context';
import { navigate, RoutePath, ROUTES, useRoute } from './router';
import { ConnectionBanner, ConnectionIndicator } from './ui/connection-indicator';

const PAGES: Record<RoutePath, ComponentType> = {
  '/library': LibraryPage,
  '/composite': CompositePage,
  '/mosaic': MosaicPage,
  '/jobs': JobsPage,
  '/admin': AdminPage,
};

export function App() {
  const { token } = useSession();
  if (!token) return <SignIn />;
  return (
    <LiveProvider>
      <Shell />
    </LiveProvider>
  );
}

function Shell() {
  const route = useRoute();
  const { claims, signOut } = useSession();
  const Page = PAGES[route];
  const title = ROUTES.find((r) => r.path === route)?.label ?? '';
  useEffect(() => {
    document.title = `${title} · Darkroom`;
  }, [title]);
  const go = (e: MouseEvent<HTMLAnchorElement>, path: string) => {
    if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    navigate(path);
  };
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand" aria-label="Darkroom">
          <span className="brand__mark" aria-hidden="true">
            ◐
          </span>{' '}
          Darkroom
        </span>
        <nav className="tabs" aria-label="Main">
          {ROUTES.map((r) => (
            <a
              key={r.path}
              href={r.path}
              onClick={(e) => go(e, r.path)}
              aria-current={r.path === route ? 'page' : undefined}
            >
              {r.label}
            </a>
          ))}
        </nav>
        <div className="topbar__end">
          <ConnectionIndicator />
          <span className="user" title={claims?.admin ? 'administrator' : 'user'}>
            {claims?.userId}
            {claims?.admin && <span className="badge">admin</span>}
          </span>
          <button type="button" className="btn btn--ghost btn--small" onClick={() => signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <ConnectionBanner />
      <main id="main" tabIndex={-1}>
        <Page />
      </main>
    </>
  );
}
