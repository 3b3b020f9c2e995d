import { jsonDepth, MAX_JSON_DEPTH, verifyJsonDepth } from './json-depth';

describe('jsonDepth', () => {
  it('should count the deepest nesting of objects and arrays', () => {
    expect(jsonDepth(Buffer.from('1'))).toBe(0);
    expect(jsonDepth(Buffer.from('{"a":[1,{"b":[]}],"c":{}}'))).toBe(4);
  });

  it('should skip brackets and escaped quotes inside strings', () => {
    expect(jsonDepth(Buffer.from('{"a":"[[[{{{\\"[[["}'))).toBe(1);
  });
});

describe('verifyJsonDepth', () => {
  const nested = (levels: number) => Buffer.from('['.repeat(levels) + ']'.repeat(levels));

  it('should accept a body at the limit', () => {
    expect(() => verifyJsonDepth(null, null, nested(MAX_JSON_DEPTH))).not.toThrow();
  });

  it('should refuse a deeper body with validation_failed', () => {
    expect(() => verifyJsonDepth(null, null, nested(MAX_JSON_DEPTH + 1))).toThrow(
      expect.objectContaining({ status: 400, code: 'validation_failed' }),
    );
  });
});
