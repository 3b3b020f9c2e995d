import { AppError, ErrorDetail, ValidationError } from '../../core/errors/app-error';
import { ErrorCode } from '../../core/errors/error-code';
import { StretchParams, fitInside } from '../../imaging';

/** Black point must lie below the white point (each defaults as in imaging). */
export function stretchPointProblems(params: StretchParams, field: string): ErrorDetail[] {
  const black = params.blackPoint ?? 0.001;
  const white = params.whitePoint ?? 0.999;
  if (black < white) return [];
  const at = field ? `${field}.blackPoint` : 'blackPoint';
  return [{ field: at, problem: 'must be less than whitePoint' }];
}

/** Throws a 400 listing the problems, if any. */
export function assertNoProblems(details: ErrorDetail[]): void {
  if (details.length > 0) throw new ValidationError(details);
}

/**
 * Refuses at submission an output that would exceed the pixel limit: the image of
 * `width × height` fitted inside the requested box (API `width`/`height`).
 */
export function assertOutputPixels(
  width: number,
  height: number,
  box: { width?: number; height?: number },
  maxPixels: number,
): void {
  const [w, h] = fitInside(width, height, box.width, box.height);
  if (w * h > maxPixels) {
    throw new AppError(
      422,
      ErrorCode.image_too_large,
      `the output would have ${w * h} pixels, the limit is ${maxPixels}`,
    );
  }
}
