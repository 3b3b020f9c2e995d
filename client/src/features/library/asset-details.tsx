import { useEffect, useRef } from 'react';
import { ApiError } from '../../api/client';
import type { Asset } from '../../api/types';
import { useAssetHeader } from '../../api/queries';
import { ErrorMessage } from '../../ui/error-message';
import { formatBytes } from '../../ui/format';
import { useReveal } from '../../ui/use-reveal';

interface Props {
  asset: Asset;
  onClose(): void;
  onDelete(): void;
  deleting: boolean;
}

/** Format, size, bit depth, sky position and FITS header cards of one asset. */
export function AssetDetails({ asset, onClose, onDelete, deleting }: Props) {
  const header = useAssetHeader(asset);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus({ preventScroll: true }), [asset.id]);
  const panel = useRef<HTMLElement>(null);
  useReveal(panel, asset.id);
  return (
    <aside
      ref={panel}
      className="card details"
      aria-labelledby="asset-title"
      onKeyDown={(e) => e.key === 'Escape' && onClose()}
    >
      <div className="details__head">
        <h2 id="asset-title" tabIndex={-1} ref={heading} className="card__title">
          {asset.name}
        </h2>
        <button
          type="button"
          className="btn btn--ghost btn--small"
          onClick={onClose}
          aria-label="Close details"
        >
          ✕
        </button>
      </div>
      {asset.thumbnailUrl && (
        <img className="details__img" src={asset.thumbnailUrl} alt={`Preview of ${asset.name}`} />
      )}
      <dl className="facts">
        <dt>Format</dt>
        <dd>{asset.format.toUpperCase()}</dd>
        <dt>Size</dt>
        <dd>
          {asset.width} × {asset.height} px, {asset.channels} channel
          {asset.channels === 1 ? '' : 's'}
        </dd>
        <dt>Bit depth</dt>
        <dd>{asset.bitDepth < 0 ? `${-asset.bitDepth}-bit float` : `${asset.bitDepth}-bit`}</dd>
        <dt>File</dt>
        <dd>{formatBytes(asset.bytes)}</dd>
        {asset.wcs && (
          <>
            <dt>Sky</dt>
            <dd>
              RA {asset.wcs.center.ra.toFixed(4)}°, Dec {asset.wcs.center.dec.toFixed(4)}° (
              {asset.wcs.projection}, {asset.wcs.pixelScaleArcsec.toFixed(2)}″/px)
            </dd>
          </>
        )}
      </dl>
      <div className="row">
        <a className="btn btn--small" href={asset.contentUrl} download={asset.name}>
          Download original
        </a>
        <button
          type="button"
          className="btn btn--danger btn--small"
          onClick={onDelete}
          disabled={deleting}
        >
          {deleting ? 'Deleting…' : 'Delete'}
        </button>
      </div>
      {asset.format === 'fits' && (
        <details className="header-cards" open>
          <summary>FITS header</summary>
          {header.isLoading && <p className="muted">Loading header…</p>}
          {header.error &&
            (header.error instanceof ApiError && header.error.status === 404 ? (
              <p className="muted">This server gives no header for this file.</p>
            ) : (
              <ErrorMessage error={header.error} />
            ))}
          {header.data && (
            <div className="table-wrap">
              <table className="table table--dense">
                <caption className="visually-hidden">
                  FITS header cards of HDU {header.data.hdu}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Key</th>
                    <th scope="col">Value</th>
                    <th scope="col">Comment</th>
                  </tr>
                </thead>
                <tbody>
                  {header.data.cards.map((c, i) => (
                    <tr key={`${c.key}-${i}`}>
                      <th scope="row">{c.key}</th>
                      <td>{String(c.value ?? '')}</td>
                      <td className="muted">{c.comment}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </details>
      )}
    </aside>
  );
}
