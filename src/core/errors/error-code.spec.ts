import { codeForStatus, ErrorCode } from './error-code';

/** The codes API.md lists (Errors, plus `unauthorized` from Auth) and the generic 500. */
const CONTRACT_CODES = [
  'validation_failed',
  'unauthorized',
  'forbidden',
  'not_found',
  'no_result',
  'thumbnail_pending',
  'job_not_completed',
  'job_finished',
  'job_not_retryable',
  'idempotency_conflict',
  'result_expired',
  'payload_too_large',
  'unsupported_image',
  'image_too_large',
  'asset_not_found',
  'too_large',
  'range_not_satisfiable',
  'queue_full',
  'rate_limited',
  'unavailable',
  'internal',
];

describe('ErrorCode', () => {
  it('should hold exactly the contract codes, each value equal to its name', () => {
    expect(Object.keys(ErrorCode).sort()).toEqual([...CONTRACT_CODES].sort());
    for (const [name, value] of Object.entries(ErrorCode)) expect(value).toBe(name);
  });

  describe(codeForStatus.name, () => {
    it.each([
      [400, ErrorCode.validation_failed],
      [401, ErrorCode.unauthorized],
      [404, ErrorCode.not_found],
      [413, ErrorCode.payload_too_large],
      [429, ErrorCode.rate_limited],
      [500, ErrorCode.internal],
      [503, ErrorCode.unavailable],
    ])('should map %i to %s', (status, code) => {
      expect(codeForStatus(status)).toBe(code);
    });
  });
});
