import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { io, Socket } from 'socket.io-client';
import { waitForJob } from '../../libs/media/test-support/jobs';
import { MediaApp, startMediaApp } from '../../libs/media/test-support/media-app';
import { tusCreate, tusOffset, tusPatch, tusPatchInterrupted, tusUpload } from '../../libs/media/test-support/tus-client';
import { activate, call } from '../support/auth-client';

const run = promisify(execFile);
const FIXTURE = path.resolve(__dirname, '../../../shared/fixtures/video/short-hamilton-clip.mp4');
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const lavfi = (args: string[]) => run('ffmpeg', ['-nostdin', '-loglevel', 'error', '-y', ...args]);

describe('video ingest over tus', () => {
  let t: MediaApp;
  let base: string;
  let admin: string;
  let trainee: string;
  let courseId: string;
  let work: string;
  const files: Record<string, Buffer> = {};

  beforeAll(async () => {
    work = await fs.mkdtemp(path.join(tmpdir(), 'upload-e2e-'));
    const f = (n: string) => path.join(work, n);
    // Short synthetic inputs (TESTING.md): each a few seconds, tiny frames.
    await Promise.all([
      lavfi(['-f', 'lavfi', '-i', 'sine=frequency=440:duration=2', '-c:a', 'aac', f('audio-only.m4a')]),
      lavfi(['-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=25', '-f', 'lavfi', '-i', 'sine', '-t', '3', '-c:v', 'mpeg4', '-c:a', 'aac', f('mpeg4.mkv')]),
      lavfi(['-f', 'lavfi', '-i', 'testsrc2=size=160x120:rate=10', '-t', '15', '-c:v', 'libx264', '-preset', 'ultrafast', f('long.mp4')]),
    ]);
    files.audioOnly = await fs.readFile(f('audio-only.m4a'));
    files.mpeg4 = await fs.readFile(f('mpeg4.mkv'));
    files.long = await fs.readFile(f('long.mp4'));
    files.fixture = await fs.readFile(FIXTURE);
    files.truncated = files.fixture.subarray(0, Math.floor(files.fixture.length / 2));
    files.text = Buffer.from('这是一份会议纪要，不是视频。\n'.repeat(200));

    t = await startMediaApp('upload', { MEDIA_MAX_DURATION_SECONDS: '11' });
    base = t.baseUrl;
    admin = (await activate(base, 'admin', t.passwords.get('admin')!)).accessToken;
    trainee = (await activate(base, 'trainee', t.passwords.get('trainee')!)).accessToken;
    const yc = (await call(base, 'GET', '/api/v1/programs')).body.items.find((p: { code: string }) => p.code === 'YC-2025-MINING').id;
    courseId = (
      await call(base, 'POST', '/api/v1/courses', {
        token: admin,
        body: { programId: yc, code: 'UP-1', title: '上传测试', audiences: [{ industry: '*', category: '*', requirement: 'elective' }] },
      })
    ).body.id;
  }, 120_000);
  afterAll(async () => {
    await t?.stop();
    await fs.rm(work, { recursive: true, force: true });
  });

  const newLesson = async (title: string) => (await call(base, 'POST', `/api/v1/courses/${courseId}/lessons`, { token: admin, body: { title } })).body.id as string;

  /** Nothing of a rejected upload may remain: no rendition blobs, no scratch files, no upload file. */
  async function expectNothingLeft(lessonId: string): Promise<void> {
    await expect(fs.access(path.join(t.dataDir, 'blobs', 'hls', lessonId))).rejects.toThrow();
    const scratch = path.join(t.dataDir, 'media-work', 'scratch');
    expect(await fs.readdir(scratch).catch(() => [])).toEqual([]);
    const uploads = await fs.readdir(path.join(t.dataDir, 'media-work', 'uploads'));
    expect(uploads.filter((n) => !n.endsWith('.json') && n !== '.gitkeep')).toEqual([]);
  }

  it('resumes an upload interrupted at ~50% and ends with the right SHA-256', async () => {
    const lessonId = await newLesson('断点续传');
    const bytes = files.fixture;
    const created = await tusCreate(base, admin, bytes.length, { lessonId, filename: 'clip.mp4' });
    expect(created.status).toBe(201);
    const location = created.headers.get('location')!;
    await tusPatchInterrupted(base, admin, location, 0, bytes, Math.floor(bytes.length / 2));
    const offset = await tusOffset(base, admin, location);
    expect(offset).toBeGreaterThan(0);
    expect(offset).toBeLessThanOrEqual(Math.floor(bytes.length / 2));
    const rest = await tusPatch(base, admin, location, offset, bytes.subarray(offset));
    expect(rest.status).toBe(204);
    const job = await waitForJob(base, admin, rest.headers.get('media-job-id')!);
    expect(job.status).toBe('succeeded');
    expect(job.sourceSha256).toBe(sha256(bytes));
  });

  it('transcodes a non-H.264 input (MPEG-4 part 2 in Matroska) and pushes progress over socket.io', async () => {
    const lessonId = await newLesson('转码');
    const socket: Socket = io(`${base}/media`, { auth: { token: admin }, transports: ['websocket'], reconnection: false });
    const updates: { status: string; progress: number; phase: string; lessonId: string }[] = [];
    socket.on('media:job', (u) => updates.push(u));
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    try {
      const up = await tusUpload(base, admin, files.mpeg4, { lessonId, filename: 'lecture.mkv' });
      const job = await waitForJob(base, admin, up.jobId!);
      expect(job).toMatchObject({ status: 'succeeded', mode: 'transcode', progress: 100 });
      const lesson = (await call(base, 'GET', `/api/v1/lessons/${lessonId}`, { token: admin })).body;
      expect(lesson.status).toBe('published');
      expect(lesson.durationSeconds).toBeCloseTo(3, 0);
      await new Promise((r) => setTimeout(r, 200));
      const mine = updates.filter((u) => u.lessonId === lessonId);
      expect(mine.some((u) => u.phase === 'packaging')).toBe(true);
      expect(mine.at(-1)).toMatchObject({ status: 'succeeded', progress: 100 });
    } finally {
      socket.close();
    }
  });

  it('refuses the progress channel to a non-administrator with the error shape', async () => {
    const socket = io(`${base}/media`, { auth: { token: trainee }, transports: ['websocket'], reconnection: false });
    const error = await new Promise<{ code: string }>((resolve) => socket.once('error:app', resolve));
    expect(error.code).toBe('FORBIDDEN');
    await new Promise<void>((resolve) => (socket.disconnected ? resolve() : socket.once('disconnect', () => resolve())));
    socket.close();
  });

  it('accepts uploads from administrators only', async () => {
    const lessonId = await newLesson('权限');
    expect((await tusCreate(base, undefined, 10, { lessonId })).status).toBe(401);
    const asTrainee = await tusCreate(base, trainee, 10, { lessonId });
    expect(asTrainee.status).toBe(403);
    expect(JSON.parse(asTrainee.body).code).toBe('FORBIDDEN');
    expect((await tusCreate(base, admin, 10, {})).status).toBe(400);
    expect((await tusCreate(base, admin, 10, { lessonId: '000000000000000000000000' })).status).toBe(404);
    // Larger than MEDIA_MAX_UPLOAD_BYTES (default 8 GiB) is refused before a byte is sent.
    expect((await tusCreate(base, admin, 9 * 1024 ** 3, { lessonId })).status).toBe(413);
  });

  const badInputs: [string, () => Buffer, string, string][] = [
    ['a text file renamed .mp4', () => files.text, 'notes.mp4', 'MEDIA_UNRECOGNISED'],
    ['an empty file', () => Buffer.alloc(0), 'empty.mp4', 'MEDIA_EMPTY'],
    ['a truncated MP4', () => files.truncated, 'cut.mp4', 'MEDIA_TRUNCATED'],
    ['a file with no video stream', () => files.audioOnly, 'sound.mp4', 'MEDIA_NO_VIDEO'],
    ['a video longer than the configured maximum', () => files.long, 'long.mp4', 'MEDIA_TOO_LONG'],
  ];
  it.each(badInputs)('rejects %s cleanly: failed job with a zh-CN reason, lesson unpublished, nothing left behind', async (_n, bytes, filename, code) => {
    const lessonId = await newLesson(filename);
    const up = await tusUpload(base, admin, bytes(), { lessonId, filename });
    expect(up.jobId).toBeDefined();
    const job = await waitForJob(base, admin, up.jobId!);
    expect(job.status).toBe('failed');
    expect(job.error.code).toBe(code);
    expect(job.error.message).toMatch(/[\u4e00-\u9fff]/);
    const lesson = (await call(base, 'GET', `/api/v1/lessons/${lessonId}`, { token: admin })).body;
    expect(lesson.status).toBe('failed');
    expect(lesson.failure).toEqual({ code, message: job.error.message });
    expect((await call(base, 'GET', `/api/v1/lessons/${lessonId}/playback`, { token: admin })).body.code).toBe('MEDIA_NOT_PUBLISHED');
    await expectNothingLeft(lessonId);
  });
});
