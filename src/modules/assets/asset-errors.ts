import { AppError, ErrorDetail, ValidationError } from '../../core/errors/app-error';
import { ErrorCode } from '../../core/errors/error-code';
import { ImagingError } from '../../imaging';

/** The upload is larger than MAX_UPLOAD_MB. */
export class PayloadTooLargeError extends AppError {
  constructor(maxBytes: number) {
    const mb = Math.round((maxBytes / 1024 / 1024) * 100) / 100;
    super(413, ErrorCode.payload_too_large, `the file is larger than the upload limit of ${mb} MB`);
  }
}

/** The request is not `multipart/form-data` (API.md pairs 415 with `unsupported_image`). */
export class UnsupportedMediaTypeError extends AppError {
  constructor(message = 'expected a multipart/form-data body with a "file" field') {
    super(415, ErrorCode.unsupported_image, message);
  }
}

/** An export names assets that do not exist or that the caller may not use (no existence leak). */
export class AssetReferenceError extends AppError {
  constructor(details: ErrorDetail[]) {
    super(422, ErrorCode.asset_not_found, 'referenced assets were not found', details);
  }
}

/**
 * Maps an imaging failure at upload to HTTP: an unrecognised format is `415 unsupported_image`,
 * a recognised but unreadable file `422 unsupported_image`, too many pixels `422 image_too_large`.
 */
export function uploadImagingError(err: ImagingError, recognised: boolean): AppError {
  switch (err.code) {
    case 'unsupported_image':
      return new AppError(recognised ? 422 : 415, ErrorCode.unsupported_image, err.message);
    case 'image_too_large':
      return new AppError(422, ErrorCode.image_too_large, err.message);
    case 'invalid_options':
      return new ValidationError([{ field: 'file', problem: err.message }]);
  }
}
