import type { Asset } from '../../api/types';

/** Pixel offsets of each chosen tile (bottom-left corner, y up), as text while typed. */
export type Offsets = Record<string, { x: string; y: string }>;

interface Props {
  tiles: string[];
  assets: Asset[];
  offsets: Offsets;
  onChange(next: Offsets): void;
  errors(field: string): string | undefined;
}

/** The `offsets` layout: where each tile goes on the canvas. */
export function TileOffsets({ tiles, assets, offsets, onChange, errors }: Props) {
  const nameOf = (id: string) => assets.find((a) => a.id === id)?.name ?? id;
  const set = (id: string, axis: 'x' | 'y', value: string) =>
    onChange({ ...offsets, [id]: { ...(offsets[id] ?? { x: '0', y: '0' }), [axis]: value } });
  return (
    <fieldset className="card">
      <legend>Tile offsets (px, bottom-left corner, y up)</legend>
      {tiles.length === 0 && <p className="muted">Choose tiles first.</p>}
      <div className="channel__grid">
        {tiles.map((id, i) =>
          (['x', 'y'] as const).map((axis) => {
            const field = `tiles.${i}.${axis}`;
            const inputId = `tile-${i}-${axis}`;
            return (
              <div className="field" key={`${id}-${axis}`}>
                <label htmlFor={inputId}>
                  {axis} of {nameOf(id)}
                </label>
                <input
                  id={inputId}
                  type="number"
                  min={0}
                  value={offsets[id]?.[axis] ?? '0'}
                  onChange={(e) => set(id, axis, e.target.value)}
                  aria-invalid={!!errors(field)}
                />
                {errors(field) && <span className="field-error">{errors(field)}</span>}
              </div>
            );
          }),
        )}
      </div>
    </fieldset>
  );
}

/** The tiles of a request body: with their offsets when the layout uses them. */
export function tilesOf(
  tiles: string[],
  offsets: Offsets,
  withOffsets: boolean,
): { assetId: string; x?: number; y?: number }[] {
  return tiles.map((assetId) =>
    withOffsets
      ? {
          assetId,
          x: Number(offsets[assetId]?.x ?? 0),
          y: Number(offsets[assetId]?.y ?? 0),
        }
      : { assetId },
  );
}
