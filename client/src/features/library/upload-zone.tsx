import { useQueryClient } from '@tanstack/react-query';
import { DragEvent, useRef, useState } from 'react';
import type { Asset } from '../../api/types';
import { useApi } from '../../auth/session-context';
import { keys } from '../../live/job-cache';
import { describeError } from '../../ui/error-message';
import { formatBytes } from '../../ui/format';
import { ProgressBar } from '../../ui/progress-bar';

const ACCEPT =
  '.fits,.fit,.fts,.fz,.gz,.png,.jpg,.jpeg,.tif,.tiff,.webp,image/png,image/jpeg,image/tiff,image/webp';

interface Upload {
  key: number;
  name: string;
  bytes: number;
  fraction: number;
  state: 'sending' | 'done' | 'failed';
  error?: string;
}

/** Drag-and-drop or pick many files; one progress bar per upload; uploads run two at a time. */
export function UploadZone() {
  const api = useApi();
  const client = useQueryClient();
  const input = useRef<HTMLInputElement>(null);
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [over, setOver] = useState(false);
  const seq = useRef(0);

  const update = (key: number, patch: Partial<Upload>) =>
    setUploads((list) => list.map((u) => (u.key === key ? { ...u, ...patch } : u)));

  const sendOne = async (file: File, key: number) => {
    try {
      await api.upload<Asset>(file, (fraction) => update(key, { fraction }));
      update(key, { state: 'done', fraction: 1 });
      void client.invalidateQueries({ queryKey: keys.assets });
    } catch (err) {
      const { title, hint } = describeError(err);
      update(key, { state: 'failed', error: hint ? `${title} ${hint}` : title });
    }
  };

  const start = (files: FileList | null) => {
    if (!files?.length) return;
    const batch = Array.from(files).map((file) => ({ file, key: ++seq.current }));
    setUploads((list) => [
      ...batch.map(({ file, key }) => ({
        key,
        name: file.name,
        bytes: file.size,
        fraction: 0,
        state: 'sending' as const,
      })),
      ...list.filter((u) => u.state !== 'done'),
    ]);
    const queue = [...batch];
    const worker = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) await sendOne(next.file, next.key);
    };
    void Promise.all([worker(), worker()]);
  };

  const drop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    start(e.dataTransfer.files);
  };

  return (
    <section className="card" aria-labelledby="upload-title">
      <h2 id="upload-title" className="card__title">
        Upload images
      </h2>
      <div
        className={`dropzone${over ? ' dropzone--over' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={drop}
      >
        <p>
          Drop FITS, PNG, JPEG, TIFF or WebP files here, or{' '}
          <button type="button" className="btn btn--small" onClick={() => input.current?.click()}>
            choose files
          </button>
        </p>
        <input
          ref={input}
          id="upload-input"
          type="file"
          multiple
          accept={ACCEPT}
          className="visually-hidden"
          aria-label="Choose image files to upload"
          onChange={(e) => {
            start(e.target.files);
            e.target.value = '';
          }}
        />
      </div>
      {uploads.length > 0 && (
        <ul className="uploads" aria-label="Uploads">
          {uploads.map((u) => (
            <li key={u.key} className={`upload upload--${u.state}`}>
              <span className="upload__name">{u.name}</span>
              <span className="muted">{formatBytes(u.bytes)}</span>
              <ProgressBar
                value={u.fraction * 100}
                label={`Upload of ${u.name}`}
                state={
                  u.state === 'failed' ? 'failed' : u.state === 'done' ? 'completed' : 'running'
                }
              />
              <span className="upload__state">
                {u.state === 'failed' ? (
                  <span className="field-error">{u.error}</span>
                ) : u.state === 'done' ? (
                  'Uploaded'
                ) : (
                  `${Math.round(u.fraction * 100)} %`
                )}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
