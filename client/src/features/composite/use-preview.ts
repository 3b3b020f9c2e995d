import { useEffect, useRef, useState } from 'react';
import type { Accepted, CompositeBody } from '../../api/types';
import { useJob } from '../../api/queries';
import { useApi } from '../../auth/session-context';
import { useWatchJobs } from '../../live/live-context';

/**
 * A low-resolution preview that follows the controls: after a pause in editing, submit a small
 * JPEG export; a newer preview cancels (deletes) the older job, and a superseded finished
 * preview is deleted once the newer one is done.
 */
export function usePreview(body: CompositeBody | null, enabled: boolean, delayMs = 700) {
  const api = useApi();
  const [jobId, setJobId] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const shown = useRef<string | null>(null);
  const key = body && enabled ? JSON.stringify(body) : '';
  useEffect(() => {
    if (!key) return;
    let stale = false;
    const timer = setTimeout(() => {
      api
        .call<Accepted>('compositeExport', { body: JSON.parse(key) as CompositeBody })
        .then((accepted) => {
          if (stale)
            return void api
              .call('deleteJob', { params: { id: accepted.jobId } })
              .catch(() => undefined);
          setError(null);
          setJobId((previous) => {
            if (previous && previous !== shown.current)
              void api.call('deleteJob', { params: { id: previous } }).catch(() => undefined);
            return accepted.jobId;
          });
        })
        .catch((err: unknown) => !stale && setError(err));
    }, delayMs);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [key, api, delayMs]);
  useWatchJobs(jobId ? [jobId] : []);
  const job = useJob(jobId);
  const done =
    job.data?.state === 'completed' && job.data.result?.kind === 'blob'
      ? job.data.result.downloadUrl
      : null;
  const [image, setImage] = useState<string | null>(null);
  useEffect(() => {
    if (!done || !jobId) return;
    const old = shown.current;
    shown.current = jobId;
    setImage(done);
    if (old && old !== jobId)
      void api.call('deleteJob', { params: { id: old } }).catch(() => undefined);
  }, [done, jobId, api]);
  return { job: job.data, image, error };
}
