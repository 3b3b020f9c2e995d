import { ImageDecodeError } from '../errors';

/**
 * Decodes a PLIO_1 tile: an IRAF pixel-list "line list" of 16-bit words (big-endian), as
 * cfitsio's `pl_l2pi` (pliocomp.c) expands it for one line of `count` pixels starting at x = 1.
 * Each word is a 3-bit opcode and 12 bits of data: zero runs, runs of the current value, set
 * or shift the current value, store one pixel.
 */
export function plioDecode(input: Uint8Array, count: number): Int32Array {
  const words = new Int16Array(Math.floor(input.length / 2));
  const view = new DataView(input.buffer, input.byteOffset, input.byteLength);
  for (let i = 0; i < words.length; i += 1) words[i] = view.getInt16(i * 2);
  // 1-based word access as in the Fortran-derived C code.
  const ll = (i: number): number => {
    if (i < 1 || i > words.length) throw new ImageDecodeError('PLIO_1 tile is truncated');
    return words[i - 1];
  };
  // Word 3 holds the length in the old format and a negative version number in the new one.
  const newFormat = !(ll(3) > 0);
  const length = newFormat ? ll(5) * 32768 + ll(4) : ll(3);
  const first = newFormat ? ll(2) + 1 : 4;
  const out = new Int32Array(count);
  let op = 0; // next output index (0-based)
  let x1 = 1;
  let pv = 1;
  for (let ip = first; ip <= length && op < count; ip += 1) {
    const word = ll(ip);
    const opcode = Math.trunc(word / 4096);
    const data = word & 4095;
    switch (opcode) {
      case 0:
      case 4:
      case 5: {
        const x2 = x1 + data - 1;
        const n = Math.min(x2, count) - x1 + 1;
        if (n > 0) {
          out.fill(opcode === 4 ? pv : 0, op, op + n);
          if (opcode === 5 && x2 <= count) out[op + n - 1] = pv;
          op += n;
        }
        x1 = x2 + 1;
        break;
      }
      case 1:
        pv = ll(ip + 1) * 4096 + data;
        ip += 1;
        break;
      case 2:
        pv += data;
        break;
      case 3:
        pv -= data;
        break;
      case 6:
      case 7:
        pv += opcode === 6 ? data : -data;
        if (x1 <= count) out[op++] = pv;
        x1 += 1;
        break;
      default:
        break; // pl_l2pi ignores words it does not know (a negative word)
    }
  }
  return out;
}
