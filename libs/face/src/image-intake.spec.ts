import sharp from 'sharp';
import { FaceImageError } from './errors';
import { checkImageBytes, decodeImage, IntakeLimits } from './image-intake';

const limits: IntakeLimits = { maxBytes: 5_000_000, maxPixels: 4_000_000, maxSide: 640 };
const solid = (width: number, height: number) => sharp({ create: { width, height, channels: 3, background: { r: 200, g: 30, b: 30 } } });

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'resolved';
  } catch (err) {
    expect(err).toBeInstanceOf(FaceImageError);
    return (err as FaceImageError).code;
  }
}

describe('decodeImage', () => {
  it.each(['jpeg', 'png', 'webp'] as const)('accepts %s and returns packed RGB', async (fmt) => {
    const bytes = await solid(40, 30).toFormat(fmt).toBuffer();
    const img = await decodeImage(bytes, limits);
    expect([img.width, img.height, img.data.length]).toEqual([40, 30, 40 * 30 * 3]);
    expect(img.data[0]).toBeGreaterThan(150);
  });

  it('turns the picture upright from its EXIF orientation (phones store it sideways)', async () => {
    // Pixels stored 200 wide × 300 high, tagged "rotate 90° to display": the upright picture is 300 × 200.
    const bytes = await solid(200, 300).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    const img = await decodeImage(bytes, limits);
    expect([img.sourceWidth, img.sourceHeight]).toEqual([300, 200]);
    expect([img.width, img.height]).toEqual([300, 200]);
  });

  it('shrinks to maxSide before detection, keeping the source size for reporting', async () => {
    const img = await decodeImage(await solid(1600, 1200).jpeg().toBuffer(), limits);
    expect([img.width, img.height, img.sourceWidth, img.sourceHeight]).toEqual([640, 480, 1600, 1200]);
  });

  it('refuses text, empty input, GIF and a truncated JPEG as FACE_IMAGE_INVALID', async () => {
    expect(await codeOf(decodeImage(Buffer.from('这不是图片 / not an image'), limits))).toBe('FACE_IMAGE_INVALID');
    expect(await codeOf(decodeImage(new Uint8Array(0), limits))).toBe('FACE_IMAGE_INVALID');
    expect(await codeOf(decodeImage(await solid(20, 20).gif().toBuffer(), limits))).toBe('FACE_IMAGE_INVALID');
    const jpeg = await sharp({ create: { width: 400, height: 300, channels: 3, background: '#888', noise: { type: 'gaussian', mean: 128, sigma: 40 } } }).jpeg().toBuffer();
    expect(await codeOf(decodeImage(jpeg.subarray(0, Math.floor(jpeg.length / 2)), limits))).toBe('FACE_IMAGE_INVALID');
  });

  it('refuses too many bytes before decoding, and too many pixels from the header alone', async () => {
    expect(() => checkImageBytes(new Uint8Array(11), { maxBytes: 10 })).toThrow(FaceImageError);
    const big = await solid(2100, 2000).png().toBuffer();
    const err = await decodeImage(big, limits).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FaceImageError);
    expect(err).toMatchObject({ code: 'FACE_IMAGE_TOO_LARGE', status: 413, details: { reason: 'pixels', width: 2100, height: 2000 } });
    expect((err as Error).message).toMatch(/图片过大/);
  });
});
