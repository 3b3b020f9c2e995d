import { FormEvent, useMemo, useState } from 'react';
import type { MosaicBody, MosaicCombine, MosaicLayout, OutputFormat } from '../../api/types';
import { useAssets, useJob, useSubmit } from '../../api/queries';
import { useWatchJobs } from '../../live/live-context';
import { ErrorMessage, fieldError } from '../../ui/error-message';
import { JobActions, JobProgress } from '../jobs/job-bits';
import { Offsets, TileOffsets, tilesOf } from './tile-offsets';

const COMBINES: MosaicCombine[] = ['mean', 'first', 'last', 'sum', 'min', 'max'];

export function MosaicPage() {
  const assets = useAssets();
  const list = useMemo(() => assets.data?.pages.flatMap((p) => p.items) ?? [], [assets.data]);
  const [tiles, setTiles] = useState<string[]>([]);
  const [layout, setLayout] = useState<MosaicLayout | 'auto'>('auto');
  const [columns, setColumns] = useState('');
  const [gap, setGap] = useState(0);
  const [offsets, setOffsets] = useState<Offsets>({});
  const [backgroundMatch, setBackgroundMatch] = useState(false);
  const [combine, setCombine] = useState<MosaicCombine>('mean');
  const [format, setFormat] = useState<OutputFormat>('png');
  const [name, setName] = useState('');
  const exportJob = useSubmit<MosaicBody>('mosaicExport');
  const saveJob = useSubmit<MosaicBody & { name: string }>('mosaicSave');
  const [tried, setTried] = useState(false);
  const error = exportJob.error ?? saveJob.error;
  const tooFew = tiles.length < 2 ? 'Choose at least two tiles.' : undefined;
  const problem = (f: string) => fieldError(error, f);

  const body = (): MosaicBody => ({
    tiles: tilesOf(tiles, offsets, layout === 'offsets'),
    ...(layout !== 'auto' ? { layout } : {}),
    ...(columns ? { columns: Number(columns) } : {}),
    gap,
    combine,
    ...(backgroundMatch ? { backgroundMatch } : {}),
    format,
  });
  const toggle = (id: string) =>
    setTiles((t) => (t.includes(id) ? t.filter((x) => x !== id) : [...t, id]));
  const go = (e: FormEvent, save: boolean) => {
    e.preventDefault();
    setTried(true);
    if (tooFew) return;
    if (save) saveJob.mutate({ ...body(), name: name.trim() || 'mosaic' });
    else exportJob.mutate(body());
  };
  const jobId = exportJob.data?.jobId ?? saveJob.data?.jobId;
  return (
    <div className="page">
      <h1 className="page__title">Mosaic</h1>
      <form className="split split--open" onSubmit={(e) => go(e, false)} noValidate>
        <fieldset className="card">
          <legend className="card__title">Tiles ({tiles.length} chosen)</legend>
          {list.length === 0 && <p className="empty">Upload images in the Library first.</p>}
          <ul className="picklist">
            {list.map((a) => (
              <li key={a.id}>
                <label className="check">
                  <input
                    type="checkbox"
                    checked={tiles.includes(a.id)}
                    onChange={() => toggle(a.id)}
                  />
                  {a.thumbnailUrl ? (
                    <img src={a.thumbnailUrl} alt="" className="picklist__img" />
                  ) : (
                    <span className="picklist__img" />
                  )}
                  <span>{a.name}</span>{' '}
                  <span className="muted">
                    {a.width}×{a.height}
                    {a.wcs ? ' · WCS' : ''}
                  </span>
                </label>
              </li>
            ))}
          </ul>
          {(tried && tooFew) || problem('tiles') ? (
            <p className="field-error">{problem('tiles') ?? tooFew}</p>
          ) : null}
        </fieldset>
        <div>
          <fieldset className="card">
            <legend>Layout and output</legend>
            <div className="channel__grid">
              <div className="field">
                <label htmlFor="m-layout">Layout</label>
                <select
                  id="m-layout"
                  value={layout}
                  onChange={(e) => setLayout(e.target.value as MosaicLayout | 'auto')}
                >
                  <option value="auto">automatic (WCS when every tile has one)</option>
                  <option value="grid">grid</option>
                  <option value="offsets">offsets</option>
                  <option value="wcs">wcs</option>
                </select>
              </div>
              <div className="field">
                <label htmlFor="m-columns">Columns</label>
                <input
                  id="m-columns"
                  type="number"
                  min={1}
                  max={64}
                  placeholder="auto"
                  value={columns}
                  onChange={(e) => setColumns(e.target.value)}
                  aria-invalid={!!problem('columns')}
                />
                {problem('columns') && <span className="field-error">{problem('columns')}</span>}
              </div>
              <div className="field">
                <label htmlFor="m-gap">Gap (px)</label>
                <input
                  id="m-gap"
                  type="number"
                  min={0}
                  max={1024}
                  value={gap}
                  onChange={(e) => setGap(Number(e.target.value))}
                  aria-invalid={!!problem('gap')}
                />
                {problem('gap') && <span className="field-error">{problem('gap')}</span>}
              </div>
              <div className="field">
                <label htmlFor="m-combine">Combine</label>
                <select
                  id="m-combine"
                  value={combine}
                  onChange={(e) => setCombine(e.target.value as MosaicCombine)}
                >
                  {COMBINES.map((c) => (
                    <option key={c}>{c}</option>
                  ))}
                </select>
              </div>
              <div className="field">
                <label htmlFor="m-format">Format</label>
                <select
                  id="m-format"
                  value={format}
                  onChange={(e) => setFormat(e.target.value as OutputFormat)}
                >
                  <option>png</option>
                  <option>jpeg</option>
                  <option>fits</option>
                </select>
              </div>
              <div className="field">
                <label htmlFor="m-name">Name in library</label>
                <input
                  id="m-name"
                  value={name}
                  placeholder="mosaic"
                  onChange={(e) => setName(e.target.value)}
                />
              </div>
            </div>
            <label className="check">
              <input
                type="checkbox"
                checked={backgroundMatch}
                onChange={(e) => setBackgroundMatch(e.target.checked)}
              />
              Match backgrounds of overlapping tiles (WCS only)
            </label>
            <div className="row">
              <button type="submit" className="btn btn--primary" disabled={exportJob.isPending}>
                Export mosaic
              </button>
              <button
                type="button"
                className="btn"
                onClick={(e) => go(e, true)}
                disabled={saveJob.isPending}
              >
                Save to library
              </button>
            </div>
            {error && <ErrorMessage error={error} />}
          </fieldset>
          {layout === 'offsets' && (
            <TileOffsets
              tiles={tiles}
              assets={list}
              offsets={offsets}
              onChange={setOffsets}
              errors={problem}
            />
          )}
          {jobId && <MosaicJob id={jobId} />}
        </div>
      </form>
    </div>
  );
}

function MosaicJob({ id }: { id: string }) {
  useWatchJobs([id]);
  const job = useJob(id).data;
  if (!job) return null;
  return (
    <section className="card" aria-label="Mosaic job">
      <JobProgress job={job} label="Mosaic progress" />
      {job.error && <p className="field-error">{job.error.message}</p>}
      <JobActions job={job} />
    </section>
  );
}
