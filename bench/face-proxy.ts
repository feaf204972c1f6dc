/**
 * npm run bench:face-proxy -- --src <folder> --out <folder> [--min 52] [--max 140] [--letterbox]
 *
 * Builds a folder shaped like the held-out set from any photos named <person>-<n>.<ext>: each
 * photo's face centred in a 640×480 JPEG q75 at a face width between --min and --max px (varied per
 * image). `npm run bench:face -- --dir <out> --accuracy-only` then enrols and probes from those small
 * frames. --letterbox instead fits the whole photo into 400×300 centred in the 640×480 frame (the README's
 * "letterboxed" folder). Photos with no single detectable face are skipped and listed. The photos are the caller's:
 * nothing fetched here is committed (see libs/face/README.md for the folders measured so far).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { FaceEngine } from '../libs/face/src/index';
import { GREY, webcamFrame } from '../libs/face/test-support/variants';

const { values } = parseArgs({
  options: {
    src: { type: 'string' },
    out: { type: 'string' },
    min: { type: 'string', default: '52' },
    max: { type: 'string', default: '140' },
    letterbox: { type: 'boolean', default: false },
  },
});
if (!values.src || !values.out) {
  console.error('usage: npm run bench:face-proxy -- --src <folder> --out <folder> [--min 52] [--max 140]');
  process.exit(2);
}
const src = path.resolve(values.src);
const out = path.resolve(values.out);
const minWidth = Number(values.min);
const maxWidth = Number(values.max);

async function main(): Promise<void> {
  fs.mkdirSync(out, { recursive: true });
  const engine = await FaceEngine.create({ poolSize: 1, maxBytes: 50 * 1024 * 1024, log: () => undefined });
  const files = fs.readdirSync(src).filter((f) => /^[^-]+-[^.]+\.(png|jpe?g|webp)$/i.test(f)).sort();
  let made = 0;
  try {
    for (const file of files) {
      const raw = fs.readFileSync(path.join(src, file));
      const meta = await sharp(raw).metadata();
      // Tight crops cut off hair and chin; padding (the frame's own grey) gives the detector a whole head as in a real frame.
      const pad = Math.round(Math.max(meta.width ?? 0, meta.height ?? 0) * 0.6);
      const padded = await sharp(raw).rotate().removeAlpha().toColourspace('srgb').extend({ top: pad, bottom: pad, left: pad, right: pad, background: GREY }).png().toBuffer();
      const a = await engine.analyse(padded, false);
      if (a.faces.length !== 1) {
        console.log(`${file}: ${a.faces.length} faces, skipped`);
        continue;
      }
      if (values.letterbox) {
        fs.writeFileSync(path.join(out, file.replace(/\.[a-z]+$/i, '.jpg')), await letterboxFrame(raw));
        made++;
        continue;
      }
      // Spread widths over the range deterministically, so a rebuild gives the same folder.
      const width = minWidth + ((made * 37) % (maxWidth - minWidth + 1));
      fs.writeFileSync(path.join(out, file.replace(/\.[a-z]+$/i, '.jpg')), await webcamFrame(padded, a.faces[0].box, width));
      made++;
    }
  } finally {
    await engine.close();
  }
  console.log(`${made} frames of ${files.length} photos written to ${out}`);
}

/** The whole photo, aspect kept, inside 400×300, centred on a grey 640×480 JPEG q75. */
async function letterboxFrame(raw: Buffer): Promise<Buffer> {
  const photo = await sharp(raw).rotate().removeAlpha().resize(400, 300, { fit: 'inside' }).toBuffer({ resolveWithObject: true });
  const left = Math.round((640 - photo.info.width) / 2);
  const top = Math.round((480 - photo.info.height) / 2);
  return sharp({ create: { width: 640, height: 480, channels: 3, background: GREY } })
    .composite([{ input: photo.data, left, top }])
    .jpeg({ quality: 75 })
    .toBuffer();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
