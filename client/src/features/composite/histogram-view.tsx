import { useAssetHistogram } from '../../api/queries';
import { percentilePosition } from './histogram';

const HEIGHT = 32;

/** A value for the axis labels: short, whatever its magnitude. */
function label(v: number | null): string {
  if (v === null) return '–';
  return Math.abs(v) >= 1e5 || (v !== 0 && Math.abs(v) < 1e-2)
    ? v.toExponential(2)
    : String(+v.toFixed(3));
}

/**
 * The channel's histogram: its raw values (FITS physical values, raster samples) counted by the
 * server, on a log scale, with the black and white points (fractions of the pixels) marked.
 */
export function HistogramView({
  assetId,
  black,
  white,
  color,
}: {
  assetId: string | null;
  black: number;
  white: number;
  color: string;
}) {
  const query = useAssetHistogram(assetId);
  if (!assetId) return <div className="histogram histogram--empty muted">Choose an image</div>;
  if (query.isError)
    return (
      <div className="histogram histogram--empty muted">
        Histogram unavailable: {query.error.message}
      </div>
    );
  const data = query.data;
  if (!data) return <div className="histogram histogram--empty muted">Reading histogram…</div>;
  const hist = data.counts;
  const max = Math.max(1, ...hist.map((v) => Math.log1p(v)));
  const w = hist.length;
  const b = percentilePosition(hist, black) * w;
  const wp = percentilePosition(hist, white) * w;
  return (
    <figure className="histogram-figure">
      <svg
        className="histogram"
        viewBox={`0 0 ${w} ${HEIGHT}`}
        preserveAspectRatio="none"
        role="img"
        aria-label={`Histogram of ${data.values} values; black point at ${(black * 100).toFixed(1)} %, white point at ${(white * 100).toFixed(1)} % of pixels`}
      >
        <rect
          x={b}
          y={0}
          width={Math.max(0, wp - b)}
          height={HEIGHT}
          className="histogram__range"
        />
        {hist.map((v, i) => {
          const h = (Math.log1p(v) / max) * (HEIGHT - 2);
          return (
            <rect
              key={i}
              x={i + 0.1}
              y={HEIGHT - h}
              width={0.8}
              height={h}
              fill={color}
              className="histogram__bar"
            />
          );
        })}
        <line x1={b} x2={b} y1={0} y2={HEIGHT} className="histogram__mark" />
        <line x1={wp} x2={wp} y1={0} y2={HEIGHT} className="histogram__mark" />
      </svg>
      <figcaption className="histogram__axis muted">
        <span>{label(data.min)}</span>
        <span>{data.values}</span>
        <span>{label(data.max)}</span>
      </figcaption>
    </figure>
  );
}
