/**
 * Every `code` an HTTP error body or a socket acknowledgement may carry: the list of API.md
 * ("Errors", plus `unauthorized` of "Auth"), and `internal` for the generic 500 of an unexpected
 * failure. Values equal names; this enum and API.md agree (see error-code.spec.ts).
 */
export enum ErrorCode {
  validation_failed = 'validation_failed',
  unauthorized = 'unauthorized',
  forbidden = 'forbidden',
  not_found = 'not_found',
  no_result = 'no_result',
  thumbnail_pending = 'thumbnail_pending',
  job_not_completed = 'job_not_completed',
  job_finished = 'job_finished',
  job_not_retryable = 'job_not_retryable',
  idempotency_conflict = 'idempotency_conflict',
  result_expired = 'result_expired',
  payload_too_large = 'payload_too_large',
  unsupported_image = 'unsupported_image',
  image_too_large = 'image_too_large',
  asset_not_found = 'asset_not_found',
  too_large = 'too_large',
  range_not_satisfiable = 'range_not_satisfiable',
  queue_full = 'queue_full',
  rate_limited = 'rate_limited',
  unavailable = 'unavailable',
  internal = 'internal',
}

/** The code a framework error of this status gets when no domain error names one. */
export function codeForStatus(status: number): ErrorCode {
  switch (status) {
    case 401:
      return ErrorCode.unauthorized;
    case 403:
      return ErrorCode.forbidden;
    case 404:
    case 405:
      return ErrorCode.not_found;
    case 409:
      return ErrorCode.job_finished;
    case 413:
      return ErrorCode.payload_too_large;
    case 415:
      return ErrorCode.unsupported_image;
    case 416:
      return ErrorCode.range_not_satisfiable;
    case 429:
      return ErrorCode.rate_limited;
    case 503:
      return ErrorCode.unavailable;
    default:
      return status >= 500 ? ErrorCode.internal : ErrorCode.validation_failed;
  }
}
