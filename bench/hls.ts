/**
 * npm run bench:hls [-- --minutes 10] [--transcode-seconds 120] [--rounds 3] [--inputs DIR] [--keep]
 *
 * Generates a 720p H.264/AAC video (ffmpeg lavfi, default 10 minutes) and, in one run, measures
 * through the platform's own code:
 *   1. plain file copy of the same bytes, streamed and fsynced (the ceiling);
 *   2. remux + AES-128 HLS packaging — the real HlsPackager: probe, ffmpeg stream copy, AES-128
 *      on a worker thread, segments into the local blob store (streamed, hashed, fsynced, renamed);
 *   3. transcode of a non-H.264 input (MPEG-4 part 2 + MP2 audio, 720p) to H.264/AAC HLS with
 *      -preset veryfast, through the same packager.
 * Prints × realtime and MB/s for each; exits 1 if a target is missed:
 *   remux+encryption ≥ 50% of file-copy throughput; transcode ≥ 2× realtime.
 *
 * The source's SHA-256 is computed while tus receives the upload (UploadHashes), so packaging
 * does not read the source again for it. The run shows that step too: the source written the way
 * @tus/file-store writes a PATCH, with the inline hash, next to the plain copy; and one remux
 * without a known hash (a job whose upload hash was lost) for reference.
 *
 * Like with like: the generated inputs are flushed to disk before anything is timed (otherwise
 * their pending writeback lands on whichever run comes first); copy and remux read the same
 * cached source and write to the same filesystem; they alternate for --rounds rounds and the
 * medians are compared, because this VM is shared and one run can be 2× slower than the next.
 */
import { execFile } from 'node:child_process';
import { createReadStream, createWriteStream, readFileSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { loadConfig } from '../libs/platform/src/config/env';
import { LocalBlobStore } from '../libs/storage/src/local-blob-store';
import { MediaRunner } from '../libs/media/src/ffmpeg/media-runner';
import { MediaKeyring } from '../libs/media/src/hls/media-keyring';
import { HlsPackager } from '../libs/media/src/jobs/hls-packager';
import { UploadHashes } from '../apps/api/src/media/upload-hashes';

const run = promisify(execFile);
const args = parseArgs(process.argv.slice(2));
const minutes = Number(args.minutes ?? 10);
const transcodeSeconds = Number(args['transcode-seconds'] ?? 120);
const rounds = Math.max(1, Number(args.rounds ?? 3));

function parseArgs(argv: string[]): Record<string, string | true> {
  const out: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    if (!argv[i].startsWith('--')) continue;
    const next = argv[i + 1];
    if (next !== undefined && !next.startsWith('--')) out[argv[i].slice(2)] = argv[++i];
    else out[argv[i].slice(2)] = true;
  }
  return out;
}

const ffmpeg = (a: string[]) => run('ffmpeg', ['-nostdin', '-loglevel', 'error', '-y', ...a], { maxBuffer: 1 << 20 });

interface Figure {
  name: string;
  seconds: number;
  mediaSeconds: number;
  bytes: number;
}

/**
 * CPU seconds spent so far by this process (all its threads) and its finished children (ffmpeg),
 * from /proc on Linux: a load-independent view of what each run costs on a shared machine.
 */
function cpuSeconds(): number {
  const own = process.cpuUsage();
  let children: number;
  try {
    // Fields after the command name; cutime and cstime are the 14th and 15th of them (clock ticks, 100 Hz).
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    children = (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    children = Number.NaN;
  }
  return (own.user + own.system) / 1e6 + children;
}

function report(f: Figure): string {
  const mbps = f.bytes / 1e6 / f.seconds;
  return `${f.name.padEnd(34)} ${f.seconds.toFixed(2).padStart(7)} s   ${(f.mediaSeconds / f.seconds).toFixed(1).padStart(7)} × realtime   ${mbps.toFixed(1).padStart(7)} MB/s`;
}

async function fsyncFile(file: string): Promise<void> {
  const fh = await fs.open(file, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

async function copyFile(from: string, to: string): Promise<void> {
  await pipeline(createReadStream(from), createWriteStream(to));
  await fsyncFile(to);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

async function main(): Promise<void> {
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'bench-hls-'));
  const config = loadConfig({ DATA_DIR: work, MEDIA_SECRET: 'bench-secret-bench-secret-bench-secret', MEDIA_MAX_DURATION_SECONDS: '86400' });
  const store = new LocalBlobStore(path.join(work, 'blobs'));
  const packager = new HlsPackager(new MediaRunner(), store, new MediaKeyring(config), config);
  const noop = { phase: async () => undefined, progress: () => undefined };
  const load = () => os.loadavg()[0].toFixed(2);
  console.log(`bench:hls — ${os.cpus()[0]?.model ?? 'cpu'} × ${os.availableParallelism?.() ?? os.cpus().length}, load ${load()}, ffmpeg ${(await new MediaRunner().version()).split(' ')[2]}`);
  try {
    // --inputs DIR keeps the generated videos there for the next run (same filesystem as the work dir).
    const inputs = typeof args.inputs === 'string' ? path.resolve(args.inputs) : work;
    await fs.mkdir(inputs, { recursive: true });
    const source = path.join(inputs, `source-720p-${minutes}min.mp4`);
    const mpeg4 = path.join(inputs, `source-720p-mpeg4-${transcodeSeconds}s.avi`);
    const exists = (f: string) => fs.stat(f).then(() => true, () => false);
    let t0 = performance.now();
    const reused = (await exists(source)) && (await exists(mpeg4));
    if (!(await exists(source))) {
      await ffmpeg([
        '-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=25', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
        '-t', String(minutes * 60), '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '128k', source,
      ]);
    }
    if (!(await exists(mpeg4))) {
      await ffmpeg([
        '-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=25', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
        '-t', String(transcodeSeconds), '-c:v', 'mpeg4', '-q:v', '4', '-c:a', 'mp2', mpeg4,
      ]);
    }
    const size = (await fs.stat(source)).size;
    const mpeg4Size = (await fs.stat(mpeg4)).size;
    console.log(`inputs ${reused ? `reused from ${inputs}` : `generated in ${((performance.now() - t0) / 1000).toFixed(0)} s`}: ${minutes} min H.264/AAC ${(size / 1e6).toFixed(0)} MB; ${transcodeSeconds} s MPEG-4 part 2/MP2 ${(mpeg4Size / 1e6).toFixed(0)} MB\n`);

    // Nothing of the generation may still be on its way to disk when the clock runs.
    await Promise.all([fsyncFile(source), fsyncFile(mpeg4)]);
    // Warm the page cache for the source so copy and remux read it alike.
    await pipeline(createReadStream(source), createWriteStream('/dev/null'));

    // The upload as tus writes it (one PATCH into the upload file), hashed inline: where the
    // packager's source SHA-256 comes from. Compared with the copy ceiling below.
    const uploadFile = path.join(work, 'upload.bin');
    await fs.writeFile(uploadFile, '');
    const uploadHashes = new UploadHashes(() => uploadFile);
    t0 = performance.now();
    await uploadHashes.write('bench', 0, createReadStream(source), (body) =>
      pipeline(body, createWriteStream(uploadFile, { flags: 'r+', start: 0 })).then(() => size),
    );
    await fsyncFile(uploadFile);
    const uploadWrite = (performance.now() - t0) / 1000;
    const sourceSha256 = uploadHashes.take('bench', size);
    if (!sourceSha256) throw new Error('upload hash missing');
    await fs.rm(uploadFile);

    const copies: number[] = [];
    const remuxes: { seconds: number; phases: string; segments: number; mediaSeconds: number }[] = [];
    const cpuOf = { copy: [] as number[], remux: [] as number[] };
    const timeCopy = async () => {
      const c = cpuSeconds();
      const t = performance.now();
      await copyFile(source, path.join(work, 'copy.mp4'));
      copies.push((performance.now() - t) / 1000);
      cpuOf.copy.push(cpuSeconds() - c);
      await fs.rm(path.join(work, 'copy.mp4'));
    };
    const timeRemux = async (round: number, known = true) => {
      const c = cpuSeconds();
      const t = performance.now();
      const marks: string[] = [];
      let last = t;
      const cb = {
        phase: async (p: string) => {
          const now = performance.now();
          marks.push(`${p} @${((now - t) / 1000).toFixed(2)}`);
          last = now;
        },
        progress: () => undefined,
      };
      const r = await packager.package({ lessonId: 'bench', uploadPath: source, renditionId: `remux${round}`, sourceSha256: known ? sourceSha256 : undefined }, cb);
      if (r.sourceSha256 !== sourceSha256) throw new Error('source SHA-256 differs between upload and packager');
      const seconds = (performance.now() - t) / 1000;
      marks.push(`done @${seconds.toFixed(2)} (storing tail ${((performance.now() - last) / 1000).toFixed(2)} s)`);
      if (r.mode !== 'remux') throw new Error(`expected a remux, got ${r.mode}`);
      cpuOf.remux.push(cpuSeconds() - c);
      await store.deletePrefix(r.prefix);
      return { seconds, phases: marks.join(', '), segments: r.segmentCount, mediaSeconds: r.durationSeconds };
    };
    for (let round = 0; round < rounds; round++) {
      // Alternate the order so neither always runs first.
      if (round % 2 === 0) {
        await timeCopy();
        remuxes.push(await timeRemux(round));
      } else {
        remuxes.push(await timeRemux(round));
        await timeCopy();
      }
      const r = remuxes[round];
      console.log(`round ${round + 1}: copy ${copies[round].toFixed(2)} s, remux ${r.seconds.toFixed(2)} s (${((copies[round] / r.seconds) * 100).toFixed(0)} %) — ${r.phases}; load ${load()}`);
    }
    const copy: Figure = { name: `file copy (ceiling), median of ${rounds}`, seconds: median(copies), mediaSeconds: minutes * 60, bytes: size };
    const medianRemux = median(remuxes.map((r) => r.seconds));
    const remux: Figure = {
      name: `remux + AES-128 HLS (${remuxes[0].segments} seg), median`,
      seconds: medianRemux,
      mediaSeconds: remuxes[0].mediaSeconds,
      bytes: size,
    };
    const unhashed = await timeRemux(rounds, false);
    console.log(`reference: remux with the source hashed by the packager (upload hash lost) ${unhashed.seconds.toFixed(2)} s (${((copy.seconds / unhashed.seconds) * 100).toFixed(0)} % of copy)`);
    console.log('');
    console.log(report(copy));
    console.log(report({ name: 'upload write + inline SHA-256 (tus)', seconds: uploadWrite, mediaSeconds: minutes * 60, bytes: size }));
    console.log(report(remux));
    console.log(`CPU per run (median, all threads + ffmpeg): copy ${median(cpuOf.copy.slice(0, rounds)).toFixed(2)} s, remux ${median(cpuOf.remux.slice(0, rounds)).toFixed(2)} s`);

    t0 = performance.now();
    const transcoded = await packager.package({ lessonId: 'bench', uploadPath: mpeg4, renditionId: 'transcode' }, noop);
    const transcode: Figure = { name: 'transcode MPEG-4→H.264 veryfast', seconds: (performance.now() - t0) / 1000, mediaSeconds: transcoded.durationSeconds, bytes: mpeg4Size };
    console.log(report(transcode));
    if (transcoded.mode !== 'transcode') throw new Error(`expected a transcode, got ${transcoded.mode}`);

    const ratio = copy.seconds / remux.seconds;
    const realtime = transcode.mediaSeconds / transcode.seconds;
    const checks = [
      { ok: ratio >= 0.5, line: `remux+encryption throughput = ${(ratio * 100).toFixed(0)}% of file copy (target ≥ 50%)` },
      { ok: realtime >= 2, line: `transcode 720p veryfast = ${realtime.toFixed(2)}× realtime (target ≥ 2×)` },
    ];
    console.log('');
    for (const c of checks) console.log(`${c.ok ? 'PASS' : 'FAIL'}  ${c.line}`);
    console.log(`load average at end: ${load()}`);
    if (checks.some((c) => !c.ok)) process.exitCode = 1;
  } finally {
    if (!args.keep) await fs.rm(work, { recursive: true, force: true });
    else console.log(`kept ${work}`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
