import { FormEvent, useMemo, useState } from 'react';
import type { CompositeBody, CompositeChannel } from '../../api/types';
import { useAssets, useSubmit } from '../../api/queries';
import { ErrorMessage, fieldError } from '../../ui/error-message';
import { ChannelRow } from './channel-row';
import {
  DEFAULT_OUTPUT,
  ExportStatus,
  Output,
  OutputFields,
  PreviewCard,
} from './composite-panels';
import { fitSize, MAX_CHANNELS, newChannel, recolor, validateComposite } from './defaults';
import { usePreview } from './use-preview';

/** The export body of the form's state. */
function toBody(channels: CompositeChannel[], out: Output): CompositeBody {
  return {
    channels,
    format: out.format,
    ...(out.format === 'jpeg' ? { quality: out.quality } : {}),
    ...(out.format === 'png' ? { bitDepth: out.bitDepth } : {}),
    ...(out.width ? { width: Number(out.width) } : {}),
    ...(out.height ? { height: Number(out.height) } : {}),
    ...(out.downscale ? { downscale: true } : {}),
  };
}

export function CompositePage() {
  const assets = useAssets();
  const list = useMemo(() => assets.data?.pages.flatMap((p) => p.items) ?? [], [assets.data]);
  const [channels, setChannels] = useState<CompositeChannel[]>([]);
  const [out, setOut] = useState<Output>(DEFAULT_OUTPUT);
  const [previewOn, setPreviewOn] = useState(true);
  const [touched, setTouched] = useState(false);
  const submit = useSubmit<CompositeBody>('compositeExport');
  const setAll = (next: CompositeChannel[]) => setChannels(recolor(next));
  const change = (i: number, patch: Partial<CompositeChannel>) =>
    setChannels(channels.map((c, k) => (k === i ? { ...c, ...patch } : c)));
  const body = toBody(channels, out);
  const local = validateComposite(body);
  const first = list.find((a) => a.id === channels[0]?.assetId);
  const small =
    first && Object.keys(local).length === 0 ? fitSize(first.width, first.height, 480) : null;
  const preview = usePreview(
    small && { channels, format: 'jpeg', quality: 80, ...small },
    previewOn,
  );
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
            onClick={() => setAll([...channels, newChannel(list[channels.length]?.id ?? '')])}
            disabled={channels.length >= MAX_CHANNELS || list.length === 0}
          >
            + Add channel
          </button>
          <OutputFields out={out} setOut={setOut} errors={errors} />
        </div>
        <div className="composite__side">
          <PreviewCard on={previewOn} setOn={setPreviewOn} {...preview} empty={!channels.length} />
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
