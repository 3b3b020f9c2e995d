import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { byteWindow, servedStart } from './byte-window';

const chunks = (): Readable => Readable.from(['012', '3456', '789'].map((s) => Buffer.from(s)));

describe(servedStart.name, () => {
  it('should read the first served byte of a Content-Range', () => {
    expect(servedStart('bytes 2-5/10')).toBe(2);
    expect(servedStart('bytes 0-9/*')).toBe(0);
  });

  it('should answer 0 when the store served the whole object', () => {
    expect(servedStart(undefined)).toBe(0);
    expect(servedStart('garbage')).toBe(0);
  });
});

describe(byteWindow.name, () => {
  it('should cut a range across chunk boundaries out of the whole object', async () => {
    expect(await text(byteWindow(chunks(), 0, { start: 2, end: 7 }))).toBe('234567');
    expect(await text(byteWindow(chunks(), 0, { start: 0, end: 0 }))).toBe('0');
    expect(await text(byteWindow(chunks(), 0, { start: 9, end: 9 }))).toBe('9');
  });

  it('should account for a stream that already starts inside the blob', async () => {
    expect(await text(byteWindow(chunks(), 5, { start: 6, end: 8 }))).toBe('123');
  });

  it('should pass on an error of the source', async () => {
    const failing = new Readable({
      read() {
        this.destroy(new Error('reset'));
      },
    });
    await expect(text(byteWindow(failing, 0, { start: 0, end: 3 }))).rejects.toThrow('reset');
  });
});
