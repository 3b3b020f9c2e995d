import { ValidationError } from '../errors/app-error';

/** Deepest nesting of objects and arrays a JSON body may have; the API's own bodies use 3. */
export const MAX_JSON_DEPTH = 32;

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** The deepest nesting of `{`/`[` in raw JSON bytes, strings skipped; one pass, no recursion. */
export function jsonDepth(raw: Buffer): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < raw.length; i++) {
    const byte = raw[i];
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) inString = true;
    else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) deepest = Math.max(deepest, ++depth);
    else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) depth--;
  }
  return deepest;
}

/**
 * body-parser `verify` hook: refuses a body nested deeper than `MAX_JSON_DEPTH` before it is
 * parsed, so no recursive walk over it (validation, transform) can overflow the stack.
 */
export function verifyJsonDepth(_req: unknown, _res: unknown, raw: Buffer): void {
  if (jsonDepth(raw) > MAX_JSON_DEPTH) {
    throw new ValidationError(
      [{ field: 'body', problem: `is nested deeper than ${MAX_JSON_DEPTH} levels` }],
      'JSON body nested too deeply',
    );
  }
}
