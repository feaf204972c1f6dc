/**
 * Presentation attacks made with sharp from the face fixtures, for the liveness specs and bench:face:
 * a printed photo held up to the camera (paper border, perspective, glare), a phone/monitor screen
 * replayed to it (bezel, moiré, colour cast, backlight), and a frozen feed (the same frame again).
 * They imitate the artefacts real attacks leave; they are not photographs of real attacks.
 */
import sharp from 'sharp';
import type { Box } from '../src/types';
import { GREY, webcamFrame } from './variants';

const W = 640;
const H = 480;

/** A deterministic pseudo-random stream, so every run makes the same attack images. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 0x100000000;
  };
}

/** 3×3 homography mapping the unit square's corners (0,0),(1,0),(1,1),(0,1) onto `q` (four points). */
function squareToQuad(q: readonly [number, number][]): number[] {
  const [[x0, y0], [x1, y1], [x2, y2], [x3, y3]] = q;
  const dx1 = x1 - x2;
  const dx2 = x3 - x2;
  const dy1 = y1 - y2;
  const dy2 = y3 - y2;
  const sx = x0 - x1 + x2 - x3;
  const sy = y0 - y1 + y2 - y3;
  const den = dx1 * dy2 - dx2 * dy1;
  const g = (sx * dy2 - dx2 * sy) / den;
  const h = (dx1 * sy - sx * dy1) / den;
  return [x1 - x0 + g * x1, x3 - x0 + h * x3, x0, y1 - y0 + g * y1, y3 - y0 + h * y3, y0, g, h, 1];
}

function invert3(m: number[]): number[] {
  const [a, b, c, d, e, f, g, h, i] = m;
  const A = e * i - f * h;
  const B = -(d * i - f * g);
  const C = d * h - e * g;
  const det = a * A + b * B + c * C;
  return [A / det, -(b * i - c * h) / det, (b * f - c * e) / det, B / det, (a * i - c * g) / det, -(a * f - c * d) / det, C / det, -(a * h - b * g) / det, (a * e - b * d) / det];
}

/**
 * `src` (raw RGB, sw×sh) drawn into the quad `quad` of a W×H background `bg` (raw RGB), bilinear,
 * by inverse mapping: what a flat picture looks like from an angle.
 */
function warpInto(bg: Buffer, src: Buffer, sw: number, sh: number, quad: readonly [number, number][]): Buffer {
  const out = Buffer.from(bg);
  const inv = invert3(squareToQuad(quad));
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const z = inv[6] * x + inv[7] * y + inv[8];
      const u = (inv[0] * x + inv[1] * y + inv[2]) / z;
      const v = (inv[3] * x + inv[4] * y + inv[5]) / z;
      if (u < 0 || u >= 1 || v < 0 || v >= 1) continue;
      const fx = u * (sw - 1);
      const fy = v * (sh - 1);
      const xa = Math.floor(fx);
      const ya = Math.floor(fy);
      const xb = Math.min(sw - 1, xa + 1);
      const yb = Math.min(sh - 1, ya + 1);
      const wx = fx - xa;
      const wy = fy - ya;
      for (let c = 0; c < 3; c++) {
        const p = (xx: number, yy: number) => src[(yy * sw + xx) * 3 + c];
        const top = p(xa, ya) * (1 - wx) + p(xb, ya) * wx;
        const bottom = p(xa, yb) * (1 - wx) + p(xb, yb) * wx;
        out[(y * W + x) * 3 + c] = Math.round(top * (1 - wy) + bottom * wy);
      }
    }
  }
  return out;
}

/** A dim, slightly noisy room behind the held-up picture. */
function room(seed: number): Buffer {
  const r = rng(seed);
  const buf = Buffer.alloc(W * H * 3);
  for (let i = 0; i < W * H; i++) {
    const n = (r() - 0.5) * 10;
    buf[i * 3] = GREY.r + n;
    buf[i * 3 + 1] = GREY.g + n;
    buf[i * 3 + 2] = GREY.b + n;
  }
  return buf;
}

/** The fixture's face at `faceWidth` px in a 640×480 frame, as raw RGB: the picture being shown. */
async function picture(source: Buffer, box: Box, faceWidth: number): Promise<Buffer> {
  return sharp(await webcamFrame(source, box, faceWidth, 92)).removeAlpha().raw().toBuffer();
}

/** A slightly tilted quad around the frame's centre covering `scale` of it, corners jittered by `skew`. */
function tiltedQuad(seed: number, scale: number, skew: number): [number, number][] {
  const r = rng(seed);
  const hw = (W * scale) / 2;
  const hh = (H * scale) / 2;
  const j = () => (r() - 0.5) * 2 * skew * hw;
  // Farther edge shorter: the top leans away from the camera.
  const lean = (0.06 + r() * 0.08) * hw;
  return [
    [W / 2 - hw + lean + j(), H / 2 - hh + j()],
    [W / 2 + hw - lean + j(), H / 2 - hh + j()],
    [W / 2 + hw + j(), H / 2 + hh + j()],
    [W / 2 - hw + j(), H / 2 + hh + j()],
  ];
}

const jpeg = (raw: Buffer, quality = 75): Promise<Buffer> => sharp(raw, { raw: { width: W, height: H, channels: 3 } }).jpeg({ quality }).toBuffer();

/**
 * A printed photo held to the camera: the picture on matte paper (white border, ink that cannot reach
 * black or full white, a little desaturated), seen at an angle, with a glare patch from a lamp.
 */
export async function printedPhotoAttack(source: Buffer, box: Box, seed = 1): Promise<Buffer> {
  const pic = await picture(source, box, 150);
  // Paper: 6 % white margin around the print; ink range 20–235.
  const margin = Math.round(W * 0.06);
  const paper = await sharp(pic, { raw: { width: W, height: H, channels: 3 } })
    .modulate({ saturation: 0.8 })
    .linear(0.84, 20)
    .extend({ top: margin, bottom: margin, left: margin, right: margin, background: { r: 242, g: 240, b: 232 } })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const warped = warpInto(room(seed), paper.data, paper.info.width, paper.info.height, tiltedQuad(seed, 0.82, 0.05));
  const r = rng(seed + 7);
  const gx = Math.round(W * (0.3 + r() * 0.4));
  const gy = Math.round(H * (0.25 + r() * 0.3));
  const glare = Buffer.from(
    `<svg width="${W}" height="${H}"><defs><radialGradient id="g"><stop offset="0" stop-color="#fff" stop-opacity="0.75"/><stop offset="1" stop-color="#fff" stop-opacity="0"/></radialGradient></defs>` +
      `<ellipse cx="${gx}" cy="${gy}" rx="${W * 0.16}" ry="${H * 0.11}" fill="url(#g)"/></svg>`,
  );
  const lit = await sharp(warped, { raw: { width: W, height: H, channels: 3 } }).composite([{ input: glare, blend: 'screen' }]).removeAlpha().raw().toBuffer();
  return jpeg(lit);
}

/**
 * A phone or monitor showing the face, filmed: a black bezel around a backlit screen, a bluish cast,
 * lifted blacks, the moiré that the screen's pixel grid beats into the camera's, slightly off-axis.
 */
export async function screenReplayAttack(source: Buffer, box: Box, seed = 1): Promise<Buffer> {
  const pic = await picture(source, box, 150);
  const screen = Buffer.from(pic);
  const r = rng(seed + 3);
  // Two slightly rotated gratings of ~3–4 px period: their beat is the wavy band pattern of a filmed screen.
  const a1 = 0.2 + r() * 0.3;
  const a2 = a1 + 0.05 + r() * 0.1;
  const f1 = (2 * Math.PI) / (3 + r());
  const f2 = f1 * (1.02 + r() * 0.04);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const m = Math.cos(f1 * (x * Math.cos(a1) + y * Math.sin(a1))) * Math.cos(f2 * (x * Math.cos(a2) + y * Math.sin(a2)));
      const i = (y * W + x) * 3;
      const cast = [0.9, 0.97, 1.12];
      for (let c = 0; c < 3; c++) screen[i + c] = Math.max(0, Math.min(255, 18 + screen[i + c] * 0.86 * cast[c] + m * 22));
    }
  }
  const bezel = Math.round(W * 0.05);
  const framed = await sharp(screen, { raw: { width: W, height: H, channels: 3 } })
    .extend({ top: bezel, bottom: bezel, left: bezel, right: bezel, background: { r: 12, g: 12, b: 14 } })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const warped = warpInto(room(seed + 11), framed.data, framed.info.width, framed.info.height, tiltedQuad(seed + 5, 0.86, 0.03));
  return jpeg(warped);
}

/**
 * A frozen feed: the live frame sent again — byte for byte (`exact`) or re-encoded by a virtual camera
 * or a recorder (`reencoded`, JPEG quality 90).
 */
export async function frozenFeed(frame: Buffer): Promise<{ exact: Buffer; reencoded: Buffer }> {
  return { exact: Buffer.from(frame), reencoded: await sharp(frame).jpeg({ quality: 90 }).toBuffer() };
}

/**
 * A live head turning, approximated in 2-D on a 640×480 frame whose face (`faceWidth` px) is centred:
 * the band around the face is remapped horizontally so the face's centre line (the nose) moves `shift`
 * px while the band's edges stay — as the nose, standing out of the face, moves further than the eyes
 * when a head turns. NOT a real turn: no occlusion, no change of the far cheek's shading, ears do not
 * appear; it proves the landmark pipeline and the decision, not that every real head passes.
 */
export async function yawedFrame(frame: Buffer, faceWidth: number, shift: number): Promise<Buffer> {
  const src = await sharp(frame).removeAlpha().raw().toBuffer();
  const out = Buffer.from(src);
  const C = W / 2;
  const L = C - 0.9 * faceWidth;
  const R = C + 0.9 * faceWidth;
  const yTop = Math.max(0, Math.round(H / 2 - 1.2 * faceWidth));
  const yBottom = Math.min(H, Math.round(H / 2 + 1.2 * faceWidth));
  for (let y = yTop; y < yBottom; y++) {
    for (let x = Math.ceil(L); x < R; x++) {
      const m = C + shift;
      const sx = x <= m ? L + ((x - L) * (C - L)) / (m - L) : C + ((x - m) * (R - C)) / (R - m);
      const xa = Math.max(0, Math.min(W - 1, Math.floor(sx)));
      const xb = Math.min(W - 1, xa + 1);
      const w = sx - Math.floor(sx);
      for (let c = 0; c < 3; c++) out[(y * W + x) * 3 + c] = Math.round(src[(y * W + xa) * 3 + c] * (1 - w) + src[(y * W + xb) * 3 + c] * w);
    }
  }
  return jpeg(out);
}

/** Face width of the live bursts; `liveFrame` frames of the fixtures are made at this size. */
export const BURST_FACE = 150;

/**
 * A live burst for a turn to the person's left (`+1`: nose to the image's right) or right (`-1`), with
 * a little sensor noise so no two frames are the same picture: frontal, turning, turned, back.
 */
export async function turnBurst(source: Buffer, box: Box, direction: 1 | -1): Promise<Buffer[]> {
  const base = await webcamFrame(source, box, BURST_FACE, 92);
  return Promise.all([0, 0.2, 0.4, 0.6, 0.2].map(async (k, i) => yawedFrame(await noisyFrame(base, i), BURST_FACE, direction * k * BURST_FACE)));
}

/** The same frame with faint per-frame noise (a live sensor never repeats a frame exactly). */
export async function noisyFrame(frame: Buffer, seed: number): Promise<Buffer> {
  const raw = await sharp(frame).removeAlpha().raw().toBuffer();
  const r = rng(seed + 101);
  for (let i = 0; i < raw.length; i++) raw[i] = Math.max(0, Math.min(255, raw[i] + Math.round((r() - 0.5) * 6)));
  return jpeg(raw, 92);
}

/**
 * Attack bursts: the printed photo or the screen held up and moved (each frame tilted differently,
 * as a hand does), and the frozen feed (one frame, five times).
 */
export async function attackBurst(kind: 'printed-photo' | 'screen-replay' | 'frozen', source: Buffer, box: Box): Promise<Buffer[]> {
  const seeds = [1, 2, 3, 4, 5];
  if (kind === 'printed-photo') return Promise.all(seeds.map((s) => printedPhotoAttack(source, box, s)));
  if (kind === 'screen-replay') return Promise.all(seeds.map((s) => screenReplayAttack(source, box, s)));
  const one = await webcamFrame(source, box, BURST_FACE);
  return seeds.map(() => one);
}
