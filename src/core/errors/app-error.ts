import { ErrorCode } from './error-code';

/** One field-level problem reported with a 400/422. */
export interface ErrorDetail {
  field: string;
  problem: string;
}

/**
 * An expected failure with a stable `code`; the global filter maps it to HTTP.
 * Domain code throws these (or subclasses), never Nest's HttpException.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetail[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundError extends AppError {
  constructor(what = 'resource', code: ErrorCode = ErrorCode.not_found) {
    super(404, code, `${what} not found`);
  }
}

export class ConflictError extends AppError {
  constructor(code: ErrorCode, message: string) {
    super(409, code, message);
  }
}

export class ValidationError extends AppError {
  constructor(details: ErrorDetail[], message = 'request validation failed') {
    super(400, ErrorCode.validation_failed, message, details);
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = 'missing or invalid bearer token') {
    super(401, ErrorCode.unauthorized, message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'not allowed') {
    super(403, ErrorCode.forbidden, message);
  }
}

export class QueueFullError extends AppError {
  constructor(retryAfterSeconds: number, scope: 'system' | 'user') {
    super(429, ErrorCode.queue_full, `the ${scope} queue is full; retry later`, undefined, {
      'Retry-After': String(retryAfterSeconds),
    });
  }
}

export class ResultExpiredError extends AppError {
  constructor() {
    super(410, ErrorCode.result_expired, 'the result has expired and was deleted');
  }
}

export class UnavailableError extends AppError {
  constructor(message = 'service unavailable') {
    super(503, ErrorCode.unavailable, message);
  }
}

/** Too many requests of one kind from one user (or address) in the current window. */
export class RateLimitedError extends AppError {
  constructor(retryAfterSeconds: number, what = 'requests') {
    super(429, ErrorCode.rate_limited, `too many ${what}; retry later`, undefined, {
      'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))),
    });
  }
}
