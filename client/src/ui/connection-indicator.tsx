import { useLive } from '../live/live-context';

const LABEL = {
  connecting: 'Connecting',
  live: 'Live',
  reconnecting: 'Reconnecting',
  polling: 'Polling',
};

/** live / reconnecting / polling, announced politely to screen readers. */
export function ConnectionIndicator() {
  const { status, detail } = useLive();
  return (
    <span
      className={`conn conn--${status}`}
      role="status"
      aria-live="polite"
      title={detail}
      data-status={status}
    >
      <span className="conn__dot" aria-hidden="true" />
      <span className="conn__label">{LABEL[status]}</span>
      <span className="visually-hidden">: {detail}</span>
    </span>
  );
}

/** Under the top bar while the live channel is down: what it means for what the page shows. */
export function ConnectionBanner() {
  const { status } = useLive();
  if (status === 'live' || status === 'connecting') return null;
  return (
    <p className="banner">
      {status === 'reconnecting'
        ? 'Connection lost. Reconnecting… what you see may be a few seconds old.'
        : 'Live updates are unavailable: following your jobs by SSE and polling every few seconds.'}
    </p>
  );
}
