import { randomUUID } from 'node:crypto';
import { AssetRecord, AssetStore } from '../../src/modules/assets/asset-store.port';

/** A fresh asset record; fields can be overridden. */
export function makeAsset(over: Partial<AssetRecord> = {}): AssetRecord {
  return {
    id: randomUUID(),
    owner: 'alice',
    name: 'm31.fits',
    format: 'fits',
    width: 64,
    height: 32,
    channels: 1,
    bitDepth: 32,
    bytes: 11_520,
    sha256: 'a'.repeat(64),
    createdAt: Date.now(),
    thumbnailJobId: null,
    thumbnails: [],
    ...over,
  };
}

/**
 * The conformance suite every AssetStore adapter must pass: run it from a spec with a factory
 * that returns a fresh, initialised, empty store.
 */
export function describeAssetStoreContract(name: string, open: () => Promise<AssetStore>): void {
  describe(`AssetStore contract: ${name}`, () => {
    let store: AssetStore;

    beforeEach(async () => {
      store = await open();
    });

    afterEach(async () => {
      await store.close();
    });

    it('should round-trip every field of a record', async () => {
      const record = makeAsset({ thumbnailJobId: 'job-1', thumbnails: ['256.webp'] });
      await store.insert(record);
      expect(await store.get(record.id)).toEqual(record);
    });

    it('should round-trip the optional WCS of a FITS record', async () => {
      const wcs = {
        projection: 'TAN' as const,
        crpix: [10.5, 20] as [number, number],
        crval: [150.1, -2.2] as [number, number],
        cd: [-1e-4, 2e-6, 2e-6, 1e-4] as [number, number, number, number],
        lonpole: 180,
        latpole: 90,
        frame: 'fk5',
        equinox: 2000,
        sip: { a: [[2, 0, 1e-5]] as Array<[number, number, number]>, b: [] },
      };
      const record = makeAsset({ wcs });
      await store.insert(record);
      expect((await store.get(record.id))?.wcs).toEqual(wcs);
    });

    it('should return null for an unknown id', async () => {
      expect(await store.get('nope')).toBeNull();
    });

    it('should reject a duplicate id', async () => {
      const record = makeAsset();
      await store.insert(record);
      await expect(store.insert(record)).rejects.toHaveProperty('message'); // driver errors may come from another realm
    });

    it('should list newest first, by owner, in pages that follow the cursor', async () => {
      const t = 1_700_000_000_000;
      const mine = [0, 1, 2, 3].map((i) => makeAsset({ id: `a${i}`, createdAt: t + i }));
      const tie = makeAsset({ id: 'a9', createdAt: t + 3 });
      const theirs = makeAsset({ id: 'b0', owner: 'bob', createdAt: t + 10 });
      for (const r of [...mine, tie, theirs]) await store.insert(r);

      const first = await store.list({ owner: 'alice', limit: 2 });
      expect(first.map((r) => r.id)).toEqual(['a9', 'a3']);
      const last = first[1];
      const next = await store.list({
        owner: 'alice',
        limit: 10,
        cursor: { createdAt: last.createdAt, id: last.id },
      });
      expect(next.map((r) => r.id)).toEqual(['a2', 'a1', 'a0']);
      expect((await store.list({ limit: 1 })).map((r) => r.id)).toEqual(['b0']);
    });

    it('should record the thumbnail job and variants, without duplicates', async () => {
      const record = makeAsset();
      await store.insert(record);
      expect(await store.setThumbnailJob(record.id, 'job-7')).toBe(true);
      expect(await store.addThumbnail(record.id, '256.webp')).toBe(true);
      expect(await store.addThumbnail(record.id, '256.webp')).toBe(true);
      expect(await store.addThumbnail(record.id, '64.png')).toBe(true);
      expect(await store.get(record.id)).toMatchObject({
        thumbnailJobId: 'job-7',
        thumbnails: ['256.webp', '64.png'],
      });
    });

    it('should answer false when updating or deleting a missing asset', async () => {
      expect(await store.setThumbnailJob('gone', 'job')).toBe(false);
      expect(await store.addThumbnail('gone', '256.webp')).toBe(false);
      expect(await store.delete('gone')).toBe(false);
    });

    it('should delete a record', async () => {
      const record = makeAsset();
      await store.insert(record);
      expect(await store.delete(record.id)).toBe(true);
      expect(await store.get(record.id)).toBeNull();
    });
  });
}
