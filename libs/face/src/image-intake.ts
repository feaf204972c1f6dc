import sharp from 'sharp';
import { FaceImageError } from './errors';

export interface IntakeLimits {
  /** Largest accepted file, checked before anything is decoded. */
  maxBytes: number;
  /** Largest accepted width × height, read from the header so a decompression bomb is never decoded. */
  maxPixels: number;
  /** Longest side of the image handed to the detectors; larger images are shrunk (faster, and enough for a 150 px face chip). */
  maxSide: number;
}

/** Tightly packed 8-bit RGB, rows top to bottom, already turned upright from its EXIF orientation. */
export interface RgbImage {
  data: Uint8Array;
  width: number;
  height: number;
  /** Upright size of the file before shrinking; face sizes are reported in these pixels. */
  sourceWidth: number;
  sourceHeight: number;
}

// Derived from the function: sharp's .d.mts under node10 resolution exposes no type namespace.
type SharpOptions = NonNullable<Parameters<typeof sharp>[1]>;
type Metadata = Awaited<ReturnType<ReturnType<typeof sharp>['metadata']>>;

const ACCEPTED_FORMATS = new Set(['jpeg', 'png', 'webp']);

/** Cheap checks that need no decoding, so the caller can refuse before queueing work. */
export function checkImageBytes(bytes: Uint8Array, limits: Pick<IntakeLimits, 'maxBytes'>): void {
  if (bytes.byteLength === 0) throw new FaceImageError('FACE_IMAGE_INVALID', { reason: 'empty' });
  if (bytes.byteLength > limits.maxBytes) {
    throw new FaceImageError('FACE_IMAGE_TOO_LARGE', { reason: 'bytes', bytes: bytes.byteLength, maxBytes: limits.maxBytes });
  }
}

export async function decodeImage(bytes: Uint8Array, limits: IntakeLimits): Promise<RgbImage> {
  checkImageBytes(bytes, limits);
  const input = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // failOn 'truncated' turns a cut-off upload into an error instead of a half-grey picture.
  const options: SharpOptions = { limitInputPixels: limits.maxPixels, failOn: 'truncated' };
  let meta: Metadata;
  try {
    meta = await sharp(input, { ...options, limitInputPixels: false }).metadata();
  } catch (err) {
    throw new FaceImageError('FACE_IMAGE_INVALID', { reason: 'unreadable', cause: messageOf(err) });
  }
  if (!meta.format || !ACCEPTED_FORMATS.has(meta.format)) {
    throw new FaceImageError('FACE_IMAGE_INVALID', { reason: 'format', format: meta.format ?? null });
  }
  if (!meta.width || !meta.height) throw new FaceImageError('FACE_IMAGE_INVALID', { reason: 'dimensions' });
  if (meta.width * meta.height > limits.maxPixels) {
    throw new FaceImageError('FACE_IMAGE_TOO_LARGE', {
      reason: 'pixels',
      width: meta.width,
      height: meta.height,
      maxPixels: limits.maxPixels,
    });
  }
  // EXIF orientations 5–8 swap the axes.
  const swapped = (meta.orientation ?? 1) >= 5;
  const sourceWidth = swapped ? meta.height : meta.width;
  const sourceHeight = swapped ? meta.width : meta.height;
  try {
    const { data, info } = await sharp(input, options)
      .rotate()
      .resize({ width: limits.maxSide, height: limits.maxSide, fit: 'inside', withoutEnlargement: true })
      .removeAlpha()
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`unexpected channel count ${info.channels}`);
    return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height, sourceWidth, sourceHeight };
  } catch (err) {
    const cause = messageOf(err);
    if (/pixel limit/i.test(cause)) throw new FaceImageError('FACE_IMAGE_TOO_LARGE', { reason: 'pixels', cause });
    throw new FaceImageError('FACE_IMAGE_INVALID', { reason: 'decode', cause });
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
