import { ReactElement } from 'react';
import type { Job, OutputFormat } from '../../api/types';
import { useJob } from '../../api/queries';
import { useWatchJobs } from '../../live/live-context';
import { ErrorMessage } from '../../ui/error-message';
import { JobActions, JobProgress } from '../jobs/job-bits';

/** Output choices as the form holds them (sizes as typed). */
export interface Output {
  format: OutputFormat;
  quality: number;
  bitDepth: 8 | 16;
  width: string;
  height: string;
  downscale: boolean;
}

export const DEFAULT_OUTPUT: Output = {
  format: 'png',
  quality: 90,
  bitDepth: 8,
  width: '',
  height: '',
  downscale: false,
};

interface PreviewProps {
  on: boolean;
  setOn(on: boolean): void;
  image: string | null;
  job: Job | undefined;
  error: unknown;
  empty: boolean;
}

export function PreviewCard({ on, setOn, image, job, error, empty }: PreviewProps) {
  const busy = !!job && job.state !== 'completed';
  return (
    <section className="card" aria-labelledby="preview-title">
      <h2 id="preview-title" className="card__title">
        Preview
      </h2>
      <label className="check">
        <input type="checkbox" checked={on} onChange={(e) => setOn(e.target.checked)} /> Live
        preview
      </label>
      <div className="preview" aria-busy={busy}>
        {image ? (
          <img src={image} alt="Low-resolution preview of the composite" />
        ) : (
          <span className="muted">{empty ? 'Add a channel to begin' : 'Preview appears here'}</span>
        )}
      </div>
      {busy && <JobProgress job={job} label="Preview progress" />}
      {error != null && <ErrorMessage error={error} />}
    </section>
  );
}

export function ExportStatus({ id }: { id: string }) {
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

export function OutputFields({
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
