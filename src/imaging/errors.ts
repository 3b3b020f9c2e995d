/** Stable codes of expected imaging failures; the HTTP layer maps them to 415/422/413. */
export type ImagingErrorCode = 'unsupported_image' | 'image_too_large' | 'invalid_options';

/** Base class of every expected imaging failure: carries a stable `code`. */
export class ImagingError extends Error {
  constructor(
    readonly code: ImagingErrorCode,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Input bytes are corrupt, truncated or in a form we do not read. */
export class ImageDecodeError extends ImagingError {
  constructor(message: string) {
    super('unsupported_image', message);
  }
}

/** Input (or requested output) has more pixels than the configured limit. */
export class ImageTooLargeError extends ImagingError {
  constructor(pixels: number, maxPixels: number) {
    super('image_too_large', `image has ${pixels} pixels, the limit is ${maxPixels}`);
  }
}

/** Options that passed DTO validation but make no sense together (e.g. mismatched counts). */
export class InvalidImagingOptionsError extends ImagingError {
  constructor(message: string) {
    super('invalid_options', message);
  }
}
