import { ProgressCoalescer } from './progress-coalescer';

describe(ProgressCoalescer.name, () => {
  let emitted: [string, number][];
  let sut: ProgressCoalescer<number>;

  beforeEach(() => {
    jest.useFakeTimers();
    emitted = [];
    sut = new ProgressCoalescer<number>(100, (key, value) => emitted.push([key, value]));
  });

  afterEach(() => {
    sut.clear();
    jest.useRealTimers();
  });

  describe('push', () => {
    it('should emit at once when the key is quiet', () => {
      sut.push('a', 1);
      expect(emitted).toEqual([['a', 1]]);
    });

    it('should hold values inside the window and emit only the latest when it closes', () => {
      sut.push('a', 1);
      sut.push('a', 2);
      sut.push('a', 3);
      expect(emitted).toEqual([['a', 1]]);
      expect(sut.isHolding('a')).toBe(true);
      jest.advanceTimersByTime(99);
      expect(emitted).toEqual([['a', 1]]);
      jest.advanceTimersByTime(1);
      expect(emitted).toEqual([
        ['a', 1],
        ['a', 3],
      ]);
    });

    it('should emit at most once per interval and end with the last value when pushed every 10 ms', () => {
      for (let i = 1; i <= 100; i++) {
        sut.push('a', i);
        jest.advanceTimersByTime(10);
      }
      jest.advanceTimersByTime(200);
      expect(emitted.length).toBeLessThanOrEqual(11);
      expect(emitted.length).toBeGreaterThanOrEqual(10);
      expect(emitted.at(-1)).toEqual(['a', 100]);
    });

    it('should rate-limit each key on its own', () => {
      sut.push('a', 1);
      sut.push('b', 1);
      sut.push('a', 2);
      expect(emitted).toEqual([
        ['a', 1],
        ['b', 1],
      ]);
    });

    it('should forget a key once its window closes with nothing held', () => {
      sut.push('a', 1);
      sut.push('a', 2);
      jest.advanceTimersByTime(100);
      expect(sut.size).toBe(1);
      jest.advanceTimersByTime(100);
      expect(sut.size).toBe(0);
      sut.push('a', 3);
      expect(emitted.at(-1)).toEqual(['a', 3]);
    });
  });

  describe('discard', () => {
    it('should drop the held value and keep the window open', () => {
      sut.push('a', 1);
      sut.push('a', 2);
      sut.discard('a');
      jest.advanceTimersByTime(100);
      expect(emitted).toEqual([['a', 1]]);
    });

    it('should keep the rate limit for values pushed right after a discard', () => {
      sut.push('a', 1);
      sut.discard('a');
      sut.push('a', 2);
      expect(emitted).toEqual([['a', 1]]);
      jest.advanceTimersByTime(100);
      expect(emitted.at(-1)).toEqual(['a', 2]);
    });
  });
});
