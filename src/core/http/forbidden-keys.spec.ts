import { forbiddenKeys } from './forbidden-keys';

describe('forbiddenKeys', () => {
  it('should find __proto__ and constructor keys at any depth', () => {
    const body = JSON.parse(
      '{"a":1,"__proto__":{"x":1},"channels":[{"constructor":{"prototype":1}}]}',
    ) as unknown;
    expect(
      forbiddenKeys(body)
        .map((d) => d.field)
        .sort(),
    ).toEqual(['__proto__', 'channels.0.constructor']);
  });

  it('should find nothing in a plain body', () => {
    expect(forbiddenKeys({ durationMs: 1, tiles: [{ assetId: 'x' }] })).toEqual([]);
    expect(forbiddenKeys(undefined)).toEqual([]);
  });
});
