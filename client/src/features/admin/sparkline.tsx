interface Series {
  label: string;
  values: number[];
  className: string;
}

/** A small line chart of a few series sharing one scale, with a text alternative. */
export function Sparkline({ series, title }: { series: Series[]; title: string }) {
  const w = 320;
  const h = 80;
  const max = Math.max(1, ...series.flatMap((s) => s.values));
  const n = Math.max(2, ...series.map((s) => s.values.length));
  const points = (values: number[]) =>
    values
      .map(
        (v, i) => `${((i / (n - 1)) * w).toFixed(1)},${(h - (v / max) * (h - 4) - 2).toFixed(1)}`,
      )
      .join(' ');
  const summary = series.map((s) => `${s.label}: ${s.values.at(-1) ?? 0}`).join(', ');
  return (
    <figure className="spark">
      <svg
        viewBox={`0 0 ${w} ${h}`}
        preserveAspectRatio="none"
        role="img"
        aria-label={`${title}. Now ${summary}.`}
      >
        <line x1="0" y1={h - 1} x2={w} y2={h - 1} className="spark__axis" />
        {series.map((s) => (
          <polyline
            key={s.label}
            points={points(s.values)}
            className={`spark__line ${s.className}`}
            fill="none"
          />
        ))}
      </svg>
      <figcaption className="spark__legend">
        {series.map((s) => (
          <span key={s.label} className={`legend ${s.className}`}>
            {s.label}: <strong>{s.values.at(-1) ?? 0}</strong>/min
          </span>
        ))}
        <span className="muted"> (max {max})</span>
      </figcaption>
    </figure>
  );
}
