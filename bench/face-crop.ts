/**
 * npm run bench:face-crop -- --src <folder> --out <folder>
 *
 * Cuts every confident face (score ≥ 0.7, ≥ 40 px wide) out of group photos as its own
 * <photo><letter>-1.jpg (half a face of margin on each side), so group shots can join a
 * bench:face-proxy source folder as one-photo people — how the diverse-faces stress folder got its
 * group-3/5/6 and Solvay 1927 faces (libs/face/README.md). The photos are the caller's, not committed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { FaceEngine } from '../libs/face/src/index';

const { values } = parseArgs({ options: { src: { type: 'string' }, out: { type: 'string' } } });
if (!values.src || !values.out) {
  console.error('usage: npm run bench:face-crop -- --src <folder> --out <folder>');
  process.exit(2);
}
const src = path.resolve(values.src);
const out = path.resolve(values.out);

async function main(): Promise<void> {
  fs.mkdirSync(out, { recursive: true });
  // Group photos are large and full of faces: analyse them at up to 4096 px so the small faces survive.
  const engine = await FaceEngine.create({ poolSize: 1, maxBytes: 50 * 1024 * 1024, maxSide: 4096, maxPixels: 100e6, log: () => undefined });
  try {
    for (const file of fs.readdirSync(src).filter((f) => /\.(jpe?g|png|webp)$/i.test(f)).sort()) {
      const raw = fs.readFileSync(path.join(src, file));
      const [a, meta] = await Promise.all([engine.analyse(raw, false), sharp(raw).rotate().metadata()]);
      const stem = path.parse(file).name.replace(/[^a-z0-9]/gi, '').toLowerCase();
      let k = 0;
      for (const f of a.faces) {
        if (f.score < 0.7 || f.box.width < 40) continue;
        const m = f.box.width * 0.5;
        const left = Math.max(0, Math.round(f.box.x - m));
        const top = Math.max(0, Math.round(f.box.y - m));
        const width = Math.min((meta.width ?? 0) - left, Math.round(f.box.width + 2 * m));
        const height = Math.min((meta.height ?? 0) - top, Math.round(f.box.height + 2 * m));
        // Letters keep the person name free of '-', which the benches read as the person/photo separator.
        const name = `${stem}${String.fromCharCode(97 + (k % 26))}${k >= 26 ? 'z' : ''}-1.jpg`;
        fs.writeFileSync(path.join(out, name), await sharp(raw).rotate().extract({ left, top, width, height }).jpeg({ quality: 92 }).toBuffer());
        k++;
      }
      console.log(`${file}: ${a.faces.length} faces, ${k} cut out`);
    }
  } finally {
    await engine.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
