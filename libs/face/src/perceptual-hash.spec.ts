import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { hashDistance, perceptualHash } from './perceptual-hash';

const FACES = join(__dirname, '../../../../shared/fixtures/faces');
const photo = (name: string) => readFile(join(FACES, name));

describe('perceptualHash', () => {
  it('the same picture re-encoded stays within a few bits; other photos, even of the same person, are far', async () => {
    const original = await photo('obama-1.jpg');
    const h = (await perceptualHash(original))!;
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    for (const quality of [75, 90, 95]) {
      const again = await sharp(original).jpeg({ quality }).toBuffer();
      expect(hashDistance(h, (await perceptualHash(again))!)).toBeLessThanOrEqual(4);
    }
    for (const other of ['obama-2.jpg', 'obama-3.jpg', 'biden-1.jpg', 'rose-1.jpg']) {
      expect(hashDistance(h, (await perceptualHash(await photo(other)))!)).toBeGreaterThan(60);
    }
  });

  it('a frame shifted by a few pixels (a person who moved) is no longer "the same frame"', async () => {
    const original = await photo('obama-1.jpg');
    const { width, height } = await sharp(original).metadata();
    const shifted = await sharp(original).extract({ left: 3, top: 2, width: width! - 6, height: height! - 4 }).jpeg().toBuffer();
    expect(hashDistance((await perceptualHash(original))!, (await perceptualHash(shifted))!)).toBeGreaterThan(4);
  });

  it('undecodable bytes have no hash', async () => {
    expect(await perceptualHash(Buffer.from([0xff, 0xd8, 1, 2, 3]))).toBeUndefined();
  });

  it('hashDistance counts differing bits', () => {
    expect(hashDistance('00ff', '00ff')).toBe(0);
    expect(hashDistance('00ff', '01fe')).toBe(2);
    expect(() => hashDistance('00', '0000')).toThrow(RangeError);
  });
});
