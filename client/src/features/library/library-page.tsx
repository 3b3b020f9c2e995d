import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import type { Asset } from '../../api/types';
import { useAssets } from '../../api/queries';
import { useApi } from '../../auth/session-context';
import { keys } from '../../live/job-cache';
import { ErrorMessage } from '../../ui/error-message';
import { formatBytes } from '../../ui/format';
import { AssetDetails } from './asset-details';
import { UploadZone } from './upload-zone';

export function LibraryPage() {
  const assets = useAssets();
  const api = useApi();
  const client = useQueryClient();
  const [selected, setSelected] = useState<string | null>(null);
  const items = useMemo(() => assets.data?.pages.flatMap((p) => p.items) ?? [], [assets.data]);
  const current = items.find((a) => a.id === selected);
  const remove = useMutation({
    mutationFn: (id: string) => api.call('deleteAsset', { params: { id } }),
    onSuccess: () => {
      setSelected(null);
      void client.invalidateQueries({ queryKey: keys.assets });
    },
  });
  return (
    <div className="page">
      <h1 className="page__title">Library</h1>
      <UploadZone />
      <div className={`split${current ? ' split--open' : ''}`}>
        <section aria-labelledby="assets-title" className="card">
          <h2 id="assets-title" className="card__title">
            Images{' '}
            <span className="muted">
              ({items.length}
              {assets.hasNextPage ? '+' : ''})
            </span>
          </h2>
          {assets.error && (
            <ErrorMessage error={assets.error} onRetry={() => void assets.refetch()} />
          )}
          {assets.isLoading && <p className="muted">Loading…</p>}
          {!assets.isLoading && items.length === 0 && (
            <p className="empty">No images yet. Upload some above to begin.</p>
          )}
          <ul className="grid" aria-label="Images">
            {items.map((a) => (
              <AssetCard
                key={a.id}
                asset={a}
                selected={a.id === selected}
                onOpen={() => setSelected(a.id)}
              />
            ))}
          </ul>
          {assets.hasNextPage && (
            <button
              type="button"
              className="btn"
              onClick={() => void assets.fetchNextPage()}
              disabled={assets.isFetchingNextPage}
            >
              Load more
            </button>
          )}
        </section>
        {current && (
          <div>
            <AssetDetails
              asset={current}
              onClose={() => setSelected(null)}
              onDelete={() => remove.mutate(current.id)}
              deleting={remove.isPending}
            />
            {remove.error && <ErrorMessage error={remove.error} />}
          </div>
        )}
      </div>
    </div>
  );
}

function AssetCard({
  asset,
  selected,
  onOpen,
}: {
  asset: Asset;
  selected: boolean;
  onOpen(): void;
}) {
  return (
    <li className={`tile${selected ? ' tile--selected' : ''}`} data-asset-id={asset.id}>
      <button
        type="button"
        className="tile__button"
        onClick={onOpen}
        aria-pressed={selected}
        aria-label={`${asset.name}, details`}
      >
        {asset.thumbnailUrl ? (
          <img className="tile__img" src={asset.thumbnailUrl} alt="" loading="lazy" />
        ) : (
          <span
            className="tile__img tile__img--pending"
            role="img"
            aria-label="Thumbnail being made"
          >
            <span className="spinner" aria-hidden="true" />
          </span>
        )}
        <span className="tile__name">{asset.name}</span>
        <span className="tile__meta muted">
          {asset.format.toUpperCase()} · {asset.width}×{asset.height} · {formatBytes(asset.bytes)}
        </span>
      </button>
    </li>
  );
}
