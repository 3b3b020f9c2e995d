/**
 * Test support: a minimal uncompressed little-endian TIFF writer, so specs can produce 16-bit and
 * float TIFFs (sharp only writes 8-bit TIFF from raw input).
 */
export function encodeTiff(
  width: number,
  height: number,
  samples: Uint16Array | Float32Array,
  channels = 1,
): Buffer {
  const bits = samples instanceof Float32Array ? 32 : 16;
  const pixels = Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
  const tags: Array<[number, number, number]> = [
    [256, 4, width],
    [257, 4, height],
    [258, 3, bits], // with >1 channel readers accept a single value for every sample
    [259, 3, 1],
    [262, 3, channels >= 3 ? 2 : 1],
    [273, 4, 0], // strip offset, patched below
    [277, 3, channels],
    [278, 4, height],
    [279, 4, pixels.length],
    [339, 3, bits === 32 ? 3 : 1],
  ];
  const ifdSize = 2 + tags.length * 12 + 4;
  const dataOffset = 8 + ifdSize;
  const head = Buffer.alloc(dataOffset);
  head.write('II', 0, 'latin1');
  head.writeUInt16LE(42, 2);
  head.writeUInt32LE(8, 4);
  head.writeUInt16LE(tags.length, 8);
  tags.forEach(([tag, type, value], i) => {
    const at = 10 + i * 12;
    head.writeUInt16LE(tag, at);
    head.writeUInt16LE(type, at + 2);
    head.writeUInt32LE(1, at + 4);
    if (type === 3) head.writeUInt16LE(value, at + 8);
    else head.writeUInt32LE(tag === 273 ? dataOffset : value, at + 8);
  });
  return Buffer.concat([head, pixels]);
}
