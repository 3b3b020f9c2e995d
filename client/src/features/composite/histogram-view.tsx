import { useEffect, useState } from 'react';
import { histogram, percentilePosition } from './histogram';

/** Loads an image and reads its pixels on a canvas (same origin: the signed thumbnail link). */
function useHistogram(src: string | null): number[] | null {
  const [hist, setHist] = useState<number[] | null>(null);
  useEffect(() => {
    setHist(null);
    if (!src) return;
    let live = true;
    const img = new Image();
    img.onload = () => {
      const canvas = document.createElement('canvas');
      canvas.width = img.naturalWidth;
      canvas.height = img.naturalHeight;
      const ctx = canvas.getContext('2d');
      if (!ctx || !live) return;
      ctx.drawImage(img, 0, 0);
      setHist(histogram(ctx.getImageData(0, 0, canvas.width, canvas.height).data));
    };
    img.src = src;
    return () => {
      live = false;
    };
  }, [src]);
  return hist;
}

/** The channel's histogram (of its thumbnail) with the black and white points marked. */
export function HistogramView({
  src,
  black,
  white,
  color,
}: {
  src: string | null;
  black: number;
  white: number;
  color: string;
}) {
  const hist = useHistogram(src);
  if (!hist)
    return (
      <div className="histogram histogram--empty muted">
        {src ? 'Reading histogram…' : 'Histogram when the thumbnail is ready'}
      </div>
    );
  const max = Math.max(1, ...hist.map((v) => Math.log1p(v)));
  const w = hist.length;
  const b = percentilePosition(hist, black) * w;
  const wp = percentilePosition(hist, white) * w;
  return (
    <svg
      className="histogram"
      viewBox={`0 0 ${w} 32`}
      preserveAspectRatio="none"
      role="img"
      aria-label={`Histogram; black point at ${(black * 100).toFixed(1)} %, white point at ${(white * 100).toFixed(1)} % of pixels`}
    >
      <rect x={b} y={0} width={Math.max(0, wp - b)} height={32} className="histogram__range" />
      {hist.map((v, i) => {
        const h = (Math.log1p(v) / max) * 30;
        return (
          <rect
            key={i}
            x={i + 0.1}
            y={32 - h}
            width={0.8}
            height={h}
            fill={color}
            className="histogram__bar"
          />
        );
      })}
      <line x1={b} x2={b} y1={0} y2={32} className="histogram__mark" />
      <line x1={wp} x2={wp} y1={0} y2={32} className="histogram__mark" />
    </svg>
  );
}
