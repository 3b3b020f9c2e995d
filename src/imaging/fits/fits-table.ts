import { ImageDecodeError } from '../errors';
import { FitsCard, findCard, numberCard } from './fits-card';
import { FitsHdu } from './fits-header';

/** Bytes of one element of each binary-table data type (TFORM letter). */
const TYPE_BYTES: Record<string, number> = {
  L: 1,
  X: 1 / 8,
  B: 1,
  I: 2,
  J: 4,
  K: 8,
  A: 1,
  E: 4,
  D: 8,
  C: 8,
  M: 16,
  P: 8,
  Q: 16,
};

/** One column of a binary table: where it sits in a row and what it holds. */
export interface TableColumn {
  name: string;
  /** Element type letter; for a variable-length array (`P`/`Q`) the type of its elements. */
  type: string;
  /** `P` or `Q` for a variable-length array column (descriptor in the row, data in the heap). */
  descriptor?: 'P' | 'Q';
  repeat: number;
  /** Byte offset of the column within a row. */
  offset: number;
}

/** The layout of a BINTABLE HDU: rows, columns and where its heap starts. */
export interface BinaryTable {
  rowBytes: number;
  rows: number;
  columns: TableColumn[];
  /** Absolute byte offset of the heap in the file. */
  heapOffset: number;
  /** Absolute byte offset of the first row. */
  dataOffset: number;
}

/** Parses `TFORMn` such as `1PB(1234)`, `1QB`, `1E`, `2J`. */
function parseForm(form: string): Omit<TableColumn, 'name' | 'offset'> & { bytes: number } {
  const match = /^\s*(\d*)([PQ]?)([LXBIJKAEDCM])/.exec(form.toUpperCase());
  if (!match) throw new ImageDecodeError(`unsupported binary table column format '${form}'`);
  const repeat = match[1] === '' ? 1 : Number(match[1]);
  const descriptor = match[2] === '' ? undefined : (match[2] as 'P' | 'Q');
  const type = match[3];
  const size = descriptor ? TYPE_BYTES[descriptor] : TYPE_BYTES[type];
  return { type, descriptor, repeat, bytes: Math.ceil(repeat * size) };
}

/** Reads the column layout of a BINTABLE header. */
export function readBinaryTable(hdu: FitsHdu): BinaryTable {
  const { cards } = hdu;
  const fields = numberCard(cards, 'TFIELDS', 0);
  const rowBytes = hdu.axes[0] ?? 0;
  const rows = hdu.axes[1] ?? 0;
  const columns: TableColumn[] = [];
  let offset = 0;
  for (let i = 1; i <= fields; i += 1) {
    const form = findCard(cards, `TFORM${i}`)?.value;
    if (typeof form !== 'string') throw new ImageDecodeError(`TFORM${i} is missing`);
    const { bytes, ...column } = parseForm(form);
    const name = String(findCard(cards, `TTYPE${i}`)?.value ?? '').toUpperCase();
    columns.push({ ...column, name, offset });
    offset += bytes;
  }
  if (offset !== rowBytes)
    throw new ImageDecodeError('binary table row size does not match NAXIS1');
  const heapStart = numberCard(cards, 'THEAP', rowBytes * rows);
  return {
    rowBytes,
    rows,
    columns,
    dataOffset: hdu.dataOffset,
    heapOffset: hdu.dataOffset + heapStart,
  };
}

/** The named column, or undefined. */
export function tableColumn(table: BinaryTable, name: string): TableColumn | undefined {
  return table.columns.find((c) => c.name === name);
}

/** The bytes of a variable-length array cell (row 0-based) from the heap. */
export function heapBytes(
  buffer: Uint8Array,
  table: BinaryTable,
  column: TableColumn,
  row: number,
): Uint8Array {
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  const at = table.dataOffset + row * table.rowBytes + column.offset;
  const wide = column.descriptor === 'Q';
  const count = wide ? Number(view.getBigInt64(at)) : view.getInt32(at);
  const offset = wide ? Number(view.getBigInt64(at + 8)) : view.getInt32(at + 4);
  const bytes = count * TYPE_BYTES[column.type];
  const start = table.heapOffset + offset;
  if (count < 0 || offset < 0 || start + bytes > buffer.length) {
    throw new ImageDecodeError('compressed tile lies outside the file');
  }
  return buffer.subarray(start, start + bytes);
}

/** A scalar numeric cell (types B, I, J, K, E, D), row 0-based. */
export function scalarCell(
  buffer: Uint8Array,
  table: BinaryTable,
  column: TableColumn,
  row: number,
): number {
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  const at = table.dataOffset + row * table.rowBytes + column.offset;
  switch (column.type) {
    case 'B':
      return view.getUint8(at);
    case 'I':
      return view.getInt16(at);
    case 'J':
      return view.getInt32(at);
    case 'K':
      return Number(view.getBigInt64(at));
    case 'E':
      return view.getFloat32(at);
    case 'D':
      return view.getFloat64(at);
    default:
      throw new ImageDecodeError(`column ${column.name} is not numeric`);
  }
}

/** Keyword cards of a header as a quick lookup (first occurrence wins, like {@link findCard}). */
export function cardMap(cards: readonly FitsCard[]): Map<string, FitsCard> {
  const map = new Map<string, FitsCard>();
  for (const card of cards) if (!map.has(card.keyword)) map.set(card.keyword, card);
  return map;
}
