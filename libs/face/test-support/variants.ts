/**
 * Image variants made with sharp from the face fixtures, shared by the specs and bench/face.ts:
 * webcam-like frames for robustness of the threshold, and inputs built to trip one enrolment gate.
 */
import * as path from 'node:path';
import sharp from 'sharp';
import type { Box } from '../src/types';

/** shared/ sits beside the repository (here and in CI's fresh clone). */
export const FIXTURE_DIR = process.env.FACE_FIXTURES ?? path.resolve(__dirname, '../../../../shared/fixtures/faces');

/** Background of the synthetic frames (a dim room's grey); also pads crops in bench:face-proxy. */
export const GREY = { r: 118, g: 116, b: 112 };

/**
 * A 640×480 JPEG (quality 75, like a browser capture) with the face `faceWidth` px wide, centred:
 * the shape of the held-out webcam set. `box` is the face in the upright source image.
 */
export async function webcamFrame(source: Buffer, box: Box, faceWidth: number, quality = 75): Promise<Buffer> {
  const upright = await sharp(source).rotate().toBuffer({ resolveWithObject: true });
  const s = faceWidth / box.width;
  const w = Math.max(1, Math.round(upright.info.width * s));
  const h = Math.max(1, Math.round(upright.info.height * s));
  const scaled = await sharp(upright.data).resize(w, h).toBuffer();
  const cx = (box.x + box.width / 2) * s;
  const cy = (box.y + box.height / 2) * s;
  const left = Math.round(320 - cx);
  const top = Math.round(240 - cy);
  // Place the scaled image on a 640×480 canvas; parts outside are cropped, gaps stay grey.
  const srcX = Math.max(0, -left);
  const srcY = Math.max(0, -top);
  const dstX = Math.max(0, left);
  const dstY = Math.max(0, top);
  const cw = Math.min(w - srcX, 640 - dstX);
  const ch = Math.min(h - srcY, 480 - dstY);
  const piece = await sharp(scaled).extract({ left: srcX, top: srcY, width: cw, height: ch }).toBuffer();
  return sharp({ create: { width: 640, height: 480, channels: 3, background: GREY } })
    .composite([{ input: piece, left: dstX, top: dstY }])
    .jpeg({ quality })
    .toBuffer();
}

/** The whole photo resized to exactly 640×480, aspect ignored — what `ffmpeg -vf scale=640:480` feeds the e2e fake camera. */
export const squashedFrame = (img: Buffer): Promise<Buffer> => sharp(img).rotate().resize(640, 480, { fit: 'fill' }).jpeg({ quality: 75 }).toBuffer();

/** Gaussian blur strong enough to wipe out skin texture and eyelashes: the out-of-focus / moving capture. */
export const blurred = (img: Buffer, sigma = 6): Promise<Buffer> => sharp(img).rotate().blur(sigma).jpeg().toBuffer();

/** Scales intensities down to ~15 %: an unlit room / strong backlight. */
export const darkened = (img: Buffer, factor = 0.15): Promise<Buffer> => sharp(img).rotate().linear(factor, 0).jpeg().toBuffer();

/** Pushes intensities into saturation: a face washed out by a lamp or sunlight. */
export const brightened = (img: Buffer): Promise<Buffer> => sharp(img).rotate().linear(2.2, 90).jpeg().toBuffer();

/** The whole photo shrunk so the face is ~`faceWidth` px, on a large grey canvas: sitting far from the camera. */
export async function tinyFace(img: Buffer, box: Box, faceWidth = 36, canvas = { width: 1280, height: 960 }): Promise<Buffer> {
  const meta = await sharp(img).rotate().toBuffer({ resolveWithObject: true });
  const w = Math.max(1, Math.round((meta.info.width * faceWidth) / box.width));
  const small = await sharp(meta.data).resize({ width: w }).toBuffer({ resolveWithObject: true });
  return sharp({ create: { ...canvas, channels: 3, background: GREY } })
    .composite([{ input: small.data, left: Math.round((canvas.width - small.info.width) / 2), top: Math.round((canvas.height - small.info.height) / 2) }])
    .jpeg()
    .toBuffer();
}

/**
 * A head turned to one side, approximated in 2-D: the face's left half is squeezed to `keep` of its
 * width while the right half stays, as perspective foreshortens the far cheek when a head turns.
 * The nose ends up far off the eyes' midline — what the yaw measure looks for.
 */
export async function turnedHead(img: Buffer, box: Box, keep = 0.35): Promise<Buffer> {
  const up = await sharp(img).rotate().toBuffer({ resolveWithObject: true });
  const { width: W, height: H } = up.info;
  const pad = box.width * 0.6;
  const x0 = Math.max(0, Math.round(box.x - pad));
  const x1 = Math.min(W, Math.round(box.x + box.width + pad));
  const y0 = Math.max(0, Math.round(box.y - box.height * 0.5));
  const y1 = Math.min(H, Math.round(box.y + box.height * 1.4));
  const mid = Math.round(box.x + box.width / 2);
  const left = await sharp(up.data).extract({ left: x0, top: y0, width: mid - x0, height: y1 - y0 }).toBuffer();
  const right = await sharp(up.data).extract({ left: mid, top: y0, width: x1 - mid, height: y1 - y0 }).toBuffer();
  const squeezedW = Math.max(1, Math.round((mid - x0) * keep));
  const squeezed = await sharp(left).resize({ width: squeezedW, height: y1 - y0, fit: 'fill' }).toBuffer();
  return sharp({ create: { width: squeezedW + (x1 - mid), height: y1 - y0, channels: 3, background: GREY } })
    .composite([
      { input: squeezed, left: 0, top: 0 },
      { input: right, left: squeezedW, top: 0 },
    ])
    .jpeg()
    .toBuffer();
}

/** A picture with no person in it: a smooth colour field with a few shapes (made, not sampled, so it is certain to hold no face). */
export async function noFaceImage(): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="480">
    <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#6a8caf"/><stop offset="1" stop-color="#d9c8a0"/></linearGradient></defs>
    <rect width="640" height="480" fill="url(#g)"/><rect x="60" y="300" width="220" height="140" fill="#4b5d3a"/>
    <circle cx="470" cy="140" r="60" fill="#f2e6b5"/><rect x="380" y="260" width="180" height="180" fill="#7a4b2a"/></svg>`;
  return sharp(Buffer.from(svg)).jpeg().toBuffer();
}
