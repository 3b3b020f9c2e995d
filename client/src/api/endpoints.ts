/** Every operation the SPA calls: one place, so that a test can hold them against the OpenAPI document. */
export const ENDPOINTS = {
  listAssets: { method: 'get', path: '/api/assets' },
  uploadAsset: { method: 'post', path: '/api/assets' },
  getAsset: { method: 'get', path: '/api/assets/{id}' },
  deleteAsset: { method: 'delete', path: '/api/assets/{id}' },
  assetHeader: { method: 'get', path: '/api/assets/{id}/header' },
  assetHistogram: { method: 'get', path: '/api/assets/{id}/histogram' },
  compositeExport: { method: 'post', path: '/api/composite/export' },
  mosaicExport: { method: 'post', path: '/api/mosaic/export' },
  mosaicSave: { method: 'post', path: '/api/mosaic/save' },
  diagnosticJob: { method: 'post', path: '/api/diagnostics/jobs' },
  listJobs: { method: 'get', path: '/api/jobs' },
  getJob: { method: 'get', path: '/api/jobs/{id}' },
  cancelJob: { method: 'post', path: '/api/jobs/{id}/cancel' },
  retryJob: { method: 'post', path: '/api/jobs/{id}/retry' },
  deleteJob: { method: 'delete', path: '/api/jobs/{id}' },
  jobResult: { method: 'get', path: '/api/jobs/{id}/result' },
  stats: { method: 'get', path: '/api/jobs/stats/overview' },
  pauseQueue: { method: 'post', path: '/api/admin/queue/pause' },
  resumeQueue: { method: 'post', path: '/api/admin/queue/resume' },
  sseJob: { method: 'get', path: '/api/sse/jobs/{id}' },
} as const;

export type EndpointName = keyof typeof ENDPOINTS;

/** `/api/jobs/{id}` with its parameters filled in. */
export function pathOf(name: EndpointName, params: Record<string, string> = {}): string {
  return ENDPOINTS[name].path.replace(/\{(\w+)\}/g, (_, key: string) =>
    encodeURIComponent(params[key] ?? ''),
  );
}
