import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { AppError } from './app-error';
import { codeForStatus, ErrorCode } from './error-code';

interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  details?: AppError['details'];
}

/** Body-parser and other framework errors that carry a status (malformed JSON, too large). */
function statusOf(err: unknown): number | undefined {
  const status =
    (err as { status?: unknown; statusCode?: unknown })?.status ??
    (err as { statusCode?: unknown })?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 600 ? status : undefined;
}

function toBody(err: unknown): { body: ErrorBody; headers?: Record<string, string> } {
  if (err instanceof AppError) {
    const body: ErrorBody = { statusCode: err.status, code: err.code, message: err.message };
    if (err.details) body.details = err.details;
    return { body, headers: err.headers };
  }
  if (err instanceof HttpException) {
    const status = err.getStatus();
    if (status === 400) {
      // Nest turns body-parser failures (malformed JSON) into a plain 400.
      const details = [{ field: 'body', problem: err.message }];
      return {
        body: {
          statusCode: 400,
          code: ErrorCode.validation_failed,
          message: 'malformed request body',
          details,
        },
      };
    }
    const message = status === 404 ? 'route not found' : err.message;
    return { body: { statusCode: status, code: codeForStatus(status), message } };
  }
  const status = statusOf(err);
  if (status !== undefined && status < 500) {
    if ((err as { type?: string }).type === 'entity.parse.failed') {
      const details = [{ field: 'body', problem: 'is not valid JSON' }];
      return {
        body: {
          statusCode: 400,
          code: ErrorCode.validation_failed,
          message: 'malformed JSON body',
          details,
        },
      };
    }
    const message = status === 413 ? 'request body too large' : 'bad request';
    return {
      body: { statusCode: status, code: codeForStatus(status), message },
    };
  }
  return { body: { statusCode: 500, code: ErrorCode.internal, message: 'internal server error' } };
}

/** The one place that turns errors into the contract's error shape. */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpError');

  catch(err: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') return;
    const res = host.switchToHttp().getResponse<Response>();
    const { body, headers } = toBody(err);
    if (body.statusCode >= 500) this.log(err);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    for (const [name, value] of Object.entries(headers ?? {})) res.setHeader(name, value);
    res.status(body.statusCode).json(body);
  }

  /** Expected failures (a typed 503 such as draining) in one line; unknown ones with the stack. */
  private log(err: unknown): void {
    if (err instanceof AppError) this.logger.warn(`${err.code}: ${err.message}`);
    else this.logger.error(err instanceof Error ? err.stack : String(err));
  }
}
