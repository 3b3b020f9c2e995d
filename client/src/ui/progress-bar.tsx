interface Props {
  value: number;
  label: string;
  state?: string;
  /** Shown under screen readers as aria-valuetext (e.g. "40 %, stacking"). */
  text?: string;
}

/** An accessible progress bar: role=progressbar with aria-valuenow 0..100. */
export function ProgressBar({ value, label, state, text }: Props) {
  const v = Math.max(0, Math.min(100, Math.round(value)));
  return (
    <div
      className={`progress progress--${state ?? 'running'}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={v}
      aria-valuetext={text ?? `${v} %`}
    >
      <div className="progress__fill" style={{ width: `${v}%` }} />
    </div>
  );
}
