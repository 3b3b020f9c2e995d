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
