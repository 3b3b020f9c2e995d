import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImagingPool, writeFits } from '../../imaging';
import { LocalBlobStore } from '../../infra/blob/local/local-blob-store.adapter';
import { probeStoredImage } from './upload-probe';

describe('probeStoredImage', () => {
  let dir: string;
  let blobs: LocalBlobStore;
  const pool = new ImagingPool({ maxThreads: 1, workerFile: '/nonexistent' });
  // 1100² float32 = 4.84 MB: larger than the 2.88 MB head that is read
  const big = writeFits({ width: 1100, height: 1100, data: new Float32Array(1100 * 1100) });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'darkroom-probe-'));
    blobs = new LocalBlobStore(dir);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const probe = async (bytes: Buffer, maxPixels = 1e9) => {
    await blobs.put('k', bytes);
    return probeStoredImage(blobs, pool, 'k', bytes.length, { maxPixels });
  };

  it('should read a large FITS file from its head only', async () => {
    await expect(probe(big)).resolves.toMatchObject({
      format: 'fits',
      width: 1100,
      height: 1100,
      bitDepth: 32,
    });
  });

  it('should answer 422 for a large FITS file whose data is cut short', async () => {
    await expect(probe(big.subarray(0, big.length - 500_000))).rejects.toMatchObject({
      status: 422,
      code: 'unsupported_image',
    });
  });

  it('should answer 422 image_too_large over the pixel limit', async () => {
    await expect(probe(big, 1000)).rejects.toMatchObject({ status: 422, code: 'image_too_large' });
  });

  it('should answer 415 for unknown content and for an empty file', async () => {
    await expect(probe(Buffer.from('GIF89a....'))).rejects.toMatchObject({ status: 415 });
    await expect(probe(Buffer.alloc(0))).rejects.toMatchObject({ status: 415 });
  });
});
