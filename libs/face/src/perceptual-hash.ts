import sharp from 'sharp';

/** Bits of the difference hash: a 17 × 16 grey thumbnail, each pixel compared with its right neighbour. */
const HASH_SIZE = 16;
/** A capture is a few hundred kilopixels; anything far beyond that is not a webcam frame and is not decoded. */
const MAX_INPUT_PIXELS = 40_000_000;

/**
 * A 256-bit difference hash (dHash) of an image, as 64 hex digits: close for the same picture
 * re-encoded, far for a different one. Measured on five fixture photos (sharp, lanczos3): re-encoded
 * at JPEG quality 75–95 they differ in 0–4 bits (quality 30–50: up to 5), halved in size 1–14,
 * shifted sideways by 1–4 pixels 2–9, other photos of the same person 120–130. Near-identical
 * therefore means "the same frame again" (a replayed capture); the coarse hash cannot tell a
 * re-encoding from a person who moved one or two pixels, which a live camera minutes apart hardly
 * ever shows. Undefined when the image cannot be decoded.
 */
export async function perceptualHash(image: Uint8Array): Promise<string | undefined> {
  try {
    const input = Buffer.from(image.buffer, image.byteOffset, image.byteLength);
    const grey = await sharp(input, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'truncated' })
      .rotate()
      .greyscale()
      .resize(HASH_SIZE + 1, HASH_SIZE, { fit: 'fill', kernel: 'lanczos3' })
      .raw()
      .toBuffer();
    const bytes = Buffer.alloc((HASH_SIZE * HASH_SIZE) / 8);
    for (let y = 0; y < HASH_SIZE; y++) {
      for (let x = 0; x < HASH_SIZE; x++) {
        const bit = y * HASH_SIZE + x;
        if (grey[y * (HASH_SIZE + 1) + x] > grey[y * (HASH_SIZE + 1) + x + 1]) bytes[bit >> 3] |= 0x80 >> (bit & 7);
      }
    }
    return bytes.toString('hex');
  } catch {
    return undefined;
  }
}

const POPCOUNT = Uint8Array.from({ length: 256 }, (_, n) => {
  let c = 0;
  for (let v = n; v; v >>= 1) c += v & 1;
  return c;
});

/** Bits in which two hashes of {@link perceptualHash} differ. */
export function hashDistance(a: string, b: string): number {
  if (a.length !== b.length) throw new RangeError('hashes of different lengths');
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  let d = 0;
  for (let i = 0; i < x.length; i++) d += POPCOUNT[x[i] ^ y[i]];
  return d;
}
