import type { Asset, CompositeChannel, Stretch } from '../../api/types';
import { STRETCHES } from '../../api/types';
import { HistogramView } from './histogram-view';

interface Props {
  index: number;
  channel: CompositeChannel;
  assets: Asset[];
  errors: (field: string) => string | undefined;
  onChange(patch: Partial<CompositeChannel>): void;
  onRemove?(): void;
}

/** One channel of the composite: image, colour, stretch, black/white points with a histogram. */
export function ChannelRow({ index, channel, assets, errors, onChange, onRemove }: Props) {
  const id = (f: string) => `ch${index}-${f}`;
  const asset = assets.find((a) => a.id === channel.assetId);
  const err = (f: string) => errors(`channels.${index}.${f}`);
  const described = (f: string) =>
    err(f) ? { 'aria-invalid': true, 'aria-describedby': id(`${f}-err`) } : {};
  const errorOf = (f: string) =>
    err(f) && (
      <span id={id(`${f}-err`)} className="field-error">
        {err(f)}
      </span>
    );
  const num = (
    f: 'blackPoint' | 'whitePoint' | 'gamma' | 'asinhA' | 'weight',
    min: number,
    max: number,
    step: number,
    label: string,
  ) => (
    <div className="field">
      <label htmlFor={id(f)}>{label}</label>
      <div className="field__pair">
        <input
          type="range"
          min={min}
          max={max}
          step={step}
          value={channel[f] ?? 0}
          onChange={(e) => onChange({ [f]: Number(e.target.value) })}
          aria-hidden="true"
          tabIndex={-1}
        />
        <input
          id={id(f)}
          type="number"
          min={min}
          max={max}
          step={step}
          value={channel[f] ?? 0}
          onChange={(e) => onChange({ [f]: Number(e.target.value) })}
          {...described(f)}
        />
      </div>
      {errorOf(f)}
    </div>
  );
  return (
    <fieldset className="channel" style={{ borderInlineStartColor: channel.color }}>
      <legend>Channel {index + 1}</legend>
      <div className="channel__grid">
        <div className="field field--wide">
          <label htmlFor={id('assetId')}>Image</label>
          <select
            id={id('assetId')}
            value={channel.assetId}
            onChange={(e) => onChange({ assetId: e.target.value })}
            {...described('assetId')}
          >
            <option value="">— choose an image —</option>
            {assets.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name} ({a.width}×{a.height})
              </option>
            ))}
          </select>
          {errorOf('assetId')}
        </div>
        <div className="field">
          <label htmlFor={id('color')}>Colour</label>
          <input
            id={id('color')}
            type="color"
            value={channel.color}
            onChange={(e) => onChange({ color: e.target.value })}
            {...described('color')}
          />
          {errorOf('color')}
        </div>
        <div className="field">
          <label htmlFor={id('stretch')}>Stretch</label>
          <select
            id={id('stretch')}
            value={channel.stretch}
            onChange={(e) => onChange({ stretch: e.target.value as Stretch })}
          >
            {STRETCHES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </div>
        {num('blackPoint', 0, 1, 0.001, 'Black point')}
        {num('whitePoint', 0, 1, 0.001, 'White point')}
        {num('gamma', 0.1, 5, 0.05, 'Gamma')}
        {channel.stretch === 'asinh' && num('asinhA', 0.001, 1, 0.001, 'asinh a')}
        {num('weight', 0, 2, 0.05, 'Weight')}
      </div>
      <HistogramView
        assetId={asset?.id ?? null}
        black={channel.blackPoint ?? 0.001}
        white={channel.whitePoint ?? 0.999}
        color={channel.color}
      />
      {onRemove && (
        <button
          type="button"
          className="btn btn--ghost btn--small"
          onClick={onRemove}
          aria-label={`Remove channel ${index + 1}`}
        >
          Remove channel
        </button>
      )}
    </fieldset>
  );
}
