import { MouseEvent, useState } from 'react';
import { ApiError, toApiError } from '../../api/client';
import type { Job, JobDetail } from '../../api/types';
import { useApi } from '../../auth/session-context';
import { ErrorMessage } from '../../ui/error-message';

/**
 * Download of a finished job's file. Signed links expire, and so do results: on click, take a
 * fresh link and make sure the file is still there (410 result_expired) before following it.
 */
export function DownloadLink({ job, className }: { job: Job; className: string }) {
  const api = useApi();
  const [error, setError] = useState<unknown>(null);
  if (job.result?.kind !== 'blob') return null;
  const { downloadUrl, filename } = job.result;
  const expired = job.expiresAt !== undefined && Date.parse(job.expiresAt) <= Date.now();
  if (expired) return <ErrorMessage error={new ApiError(410, 'result_expired', 'expired')} />;
  const follow = async (e: MouseEvent<HTMLAnchorElement>) => {
    e.preventDefault();
    setError(null);
    try {
      const fresh = await api.call<JobDetail>('getJob', { params: { id: job.id } });
      const url = fresh.result?.kind === 'blob' ? fresh.result.downloadUrl : downloadUrl;
      const head = await fetch(url, { method: 'HEAD' });
      if (!head.ok) throw toApiError(head.status, null, head.headers.get('retry-after'));
      const a = document.createElement('a');
      a.href = url;
      a.download = filename;
      a.click();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <>
      <a
        className={className}
        href={downloadUrl}
        download={filename}
        onClick={(e) => void follow(e)}
      >
        Download
      </a>
      {error != null && <ErrorMessage error={error} />}
    </>
  );
}
