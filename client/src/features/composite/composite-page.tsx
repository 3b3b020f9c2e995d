import { FormEvent, ReactElement, useMemo, useState } from 'react';
import type { CompositeBody, CompositeChannel, OutputFormat } from '../../api/types';
import { useAssets, useJob, useSubmit } from '../../api/queries';
import { useWatchJobs } from '../../live/live-context';
import { ErrorMessage, fieldError } from '../../ui/error-message';
import { JobActions, JobProgress } from '../jobs/job-bits';
import { ChannelRow } from './channel-row';
import { fitSize, MAX_CHANNELS, newChannel, recolor, validateComposite } from './defaults';
import { usePreview } from './use-preview';

interface Output {
  format: OutputFormat;
  quality: number;
  bitDepth: 8 | 16;
  width: string;
  height: string;
  downscale: boolean;
}

export function CompositePage() {
  const assets = useAssets();
  const list = useMemo(() => assets.data?.pages.flatMap((p) => p.items) ?? [], [assets.data]);
  const [channels, setChannels] = useState<CompositeChannel[]>([]);
  const [out, setOut] = useState<Output>({
    format: 'png',
    quality: 90,
    bitDepth: 8,
    width: '',
    height: '',
    downscale: false,
  });
  const [previewOn, setPreviewOn] = useState(true);
  const submit = useSubmit<CompositeBody>('compositeExport');
  const [touched, setTouched] = useState(false);

  const setAll = (next: CompositeChannel[]) => setChannels(recolor(next));
  const add = () => setAll([...channels, newChannel(list[channels.length]?.id ?? '')]);
  const change = (i: number, patch: Partial<CompositeChannel>) =>
    setChannels(channels.map((c, k) => (k === i ? { ...c, ...patch } : c)));

  const body: CompositeBody = {
    channels,
    format: out.format,
    ...(out.format === 'jpeg' ? { quality: out.quality } : {}),
    ...(out.format === 'png' ? { bitDepth: out.bitDepth } : {}),
    ...(out.width ? { width: Number(out.width) } : {}),
    ...(out.height ? { height: Number(out.height) } : {}),
    ...(out.downscale ? { downscale: true } : {}),
  };
  const local = validateComposite(body);
  const first = list.find((a) => a.id === channels[0]?.assetId);
  const previewBody =
    Object.keys(local).length || !first
      ? null
      : {
          channels,
          format: 'jpeg' as const,
          quality: 80,
          ...fitSize(first.width, first.height, 480),
        };
  const preview = usePreview(previewBody, previewOn);
  const errors = (field: string) =>
    (touched ? local[field] : undefined) ?? fieldError(submit.error, field);

  const exportNow = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (Object.keys(local).length === 0) submit.mutate(body);
  };

  return (
    <div className="page">
      <h1 className="page__title">Composite</h1>
      <form className="split split--open composite" onSubmit={exportNow} noValidate>
        <div>
          {list.length === 0 && !assets.isLoading && (
            <p className="empty">Upload images in the Library first.</p>
          )}
          {channels.map((c, i) => (
            <ChannelRow
              key={i}
              index={i}
              channel={c}
              assets={list}
              errors={errors}
              onChange={(p) => change(i, p)}
              onRemove={() => setAll(channels.filter((_, k) => k !== i))}
            />
          ))}
          {errors('channels') && <p className="field-error">{errors('channels')}</p>}
          <button
            type="button"
            className="btn"
            onClick={add}
            disabled={channels.length >= MAX_CHANNELS || list.length === 0}
          >
            + Add channel
          </button>
          <OutputFields out={out} setOut={setOut} errors={errors} />
        </div>
        <div className="composite__side">
          <section className="card" aria-labelledby="preview-title">
            <h2 id="preview-title" className="card__title">
              Preview
            </h2>
            <label className="check">
              <input
                type="checkbox"
                checked={previewOn}
                onChange={(e) => setPreviewOn(e.target.checked)}
              />{' '}
              Live preview
            </label>
            <div className="preview" aria-busy={!!preview.job && preview.job.state !== 'completed'}>
              {preview.image ? (
                <img src={preview.image} alt="Low-resolution preview of the composite" />
              ) : (
                <span className="muted">
                  {channels.length ? 'Preview appears here' : 'Add a channel to begin'}
                </span>
              )}
            </div>
            {preview.job && preview.job.state !== 'completed' && (
              <JobProgress job={preview.job} label="Preview progress" />
            )}
            {preview.error != null && <ErrorMessage error={preview.error} />}
          </section>
          <section className="card" aria-labelledby="export-title">
            <h2 id="export-title" className="card__title">
              Export
            </h2>
            <button type="submit" className="btn btn--primary" disabled={submit.isPending}>
              {submit.isPending ? 'Submitting…' : 'Export composite'}
            </button>
            {submit.error && (
              <ErrorMessage error={submit.error} onRetry={() => submit.mutate(body)} />
            )}
            {submit.data && <ExportStatus id={submit.data.jobId} />}
          </section>
        </div>
      </form>
    </div>
  );
}

function ExportStatus({ id }: { id: string }) {
  useWatchJobs([id]);
  const job = useJob(id).data;
  if (!job) return null;
  return (
    <div className="export-status" data-job-id={id}>
      <JobProgress job={job} label="Export progress" />
      {job.error && <p className="field-error">{job.error.message}</p>}
      <JobActions job={job} />
    </div>
  );
}

function OutputFields({
  out,
  setOut,
  errors,
}: {
  out: Output;
  setOut(o: Output): void;
  errors(f: string): string | undefined;
}) {
  const field = (name: keyof Output, label: string, input: ReactElement) => (
    <div className="field">
      <label htmlFor={`out-${name}`}>{label}</label>
      {input}
      {errors(name) && (
        <span className="field-error" id={`out-${name}-err`}>
          {errors(name)}
        </span>
      )}
    </div>
  );
  const invalid = (name: string) =>
    errors(name) ? { 'aria-invalid': true, 'aria-describedby': `out-${name}-err` } : {};
  return (
    <fieldset className="channel">
      <legend>Output</legend>
      <div className="channel__grid">
        {field(
          'format',
          'Format',
          <select
            id="out-format"
            value={out.format}
            onChange={(e) => setOut({ ...out, format: e.target.value as OutputFormat })}
          >
            <option>png</option>
            <option>jpeg</option>
            <option>fits</option>
          </select>,
        )}
        {out.format === 'jpeg' &&
          field(
            'quality',
            'Quality',
            <input
              id="out-quality"
              type="number"
              min={1}
              max={100}
              value={out.quality}
              onChange={(e) => setOut({ ...out, quality: Number(e.target.value) })}
              {...invalid('quality')}
            />,
          )}
        {out.format === 'png' &&
          field(
            'bitDepth',
            'Bit depth',
            <select
              id="out-bitDepth"
              value={out.bitDepth}
              onChange={(e) => setOut({ ...out, bitDepth: Number(e.target.value) as 8 | 16 })}
            >
              <option value={8}>8</option>
              <option value={16}>16</option>
            </select>,
          )}
        {field(
          'width',
          'Width (px)',
          <input
            id="out-width"
            type="number"
            min={1}
            max={16384}
            placeholder="as input"
            value={out.width}
            onChange={(e) => setOut({ ...out, width: e.target.value })}
            {...invalid('width')}
          />,
        )}
        {field(
          'height',
          'Height (px)',
          <input
            id="out-height"
            type="number"
            min={1}
            max={16384}
            placeholder="as input"
            value={out.height}
            onChange={(e) => setOut({ ...out, height: e.target.value })}
            {...invalid('height')}
          />,
        )}
      </div>
      <label className="check">
        <input
          type="checkbox"
          checked={out.downscale}
          onChange={(e) => setOut({ ...out, downscale: e.target.checked })}
        />{' '}
        Downscale to fit the memory budget
      </label>
    </fieldset>
  );
}
