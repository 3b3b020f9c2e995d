import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { BlobNotFoundError, InvalidBlobKeyError } from '../../../core/storage/blob-store.port';
import { describeBlobStoreContract } from '../../../../test/contracts/blob-store.contract';
import { LocalBlobStore } from './local-blob-store.adapter';

describeBlobStoreContract('local disk', () => {
  const dir = mkdtempSync(join(tmpdir(), 'darkroom-blobs-'));
  return Promise.resolve({
    store: new LocalBlobStore(join(dir, 'blobs')),
    sibling: new LocalBlobStore(dir),
    close: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })),
  });
});

describe(LocalBlobStore.name, () => {
  let dir: string;
  let store: LocalBlobStore;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'darkroom-blobs-'));
    store = new LocalBlobStore(join(dir, 'blobs'));
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  describe('put', () => {
    it('should store a stream and report its size and sha256', async () => {
      const result = await store.put(
        'jobs/a/out.txt',
        Readable.from([Buffer.from('hello '), Buffer.from('world')]),
      );
      expect(result).toEqual({
        bytes: 11,
        sha256: 'b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9',
      });
      expect(await text(await store.get('jobs/a/out.txt'))).toBe('hello world');
    });

    it('should refuse keys that could escape the data directory', async () => {
      for (const key of ['../x', 'a/../../x', '/etc/passwd', 'a//b', 'a\\b']) {
        await expect(store.put(key, Buffer.from('x'))).rejects.toBeInstanceOf(InvalidBlobKeyError);
      }
    });
  });

  describe('get', () => {
    it('should stream an inclusive byte range', async () => {
      await store.put('k/file', Buffer.from('0123456789'));
      expect(await text(await store.get('k/file', { start: 2, end: 5 }))).toBe('2345');
    });

    it('should reject a missing blob with BlobNotFoundError', async () => {
      await expect(store.get('missing/file')).rejects.toBeInstanceOf(BlobNotFoundError);
    });
  });

  describe('deletePrefix', () => {
    it('should delete a folder and leave its siblings', async () => {
      await store.put('jobs/a/1', Buffer.from('1'));
      await store.put('jobs/a/2', Buffer.from('2'));
      await store.put('jobs/b/1', Buffer.from('3'));
      await store.deletePrefix('jobs/a/');
      expect(await store.head('jobs/a/1')).toBeNull();
      expect(await store.head('jobs/b/1')).toEqual({ key: 'jobs/b/1', bytes: 1 });
    });
  });
});
