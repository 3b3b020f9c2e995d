import { AppError } from '../errors/app-error';
import { parseRange } from './range';

describe('parseRange', () => {
  it('should return null without a header', () => {
    expect(parseRange(undefined, 100)).toBeNull();
  });

  it('should parse start-end, open-ended and suffix ranges', () => {
    expect(parseRange('bytes=0-9', 100)).toEqual({ start: 0, end: 9 });
    expect(parseRange('bytes=90-', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=-10', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=50-1000', 100)).toEqual({ start: 50, end: 99 });
  });

  it('should ignore multiple ranges and other units', () => {
    expect(parseRange('bytes=0-1,5-6', 100)).toBeNull();
    expect(parseRange('items=0-1', 100)).toBeNull();
  });

  it('should reject unsatisfiable ranges with 416', () => {
    expect(() => parseRange('bytes=100-', 100)).toThrow(AppError);
    try {
      parseRange('bytes=5-2', 100);
    } catch (err) {
      expect((err as AppError).status).toBe(416);
      expect((err as AppError).headers).toEqual({ 'Content-Range': 'bytes */100' });
    }
    expect.assertions(3);
  });
});
