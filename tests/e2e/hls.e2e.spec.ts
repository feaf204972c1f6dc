import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { deriveMediaKeys, signQuery } from '@app/media';
import { decryptSegment, parseMediaPlaylist } from '../../libs/media/test-support/hls-client';
import { JobReply, waitForJob } from '../../libs/media/test-support/jobs';
import { tusUpload } from '../../libs/media/test-support/tus-client';
import { MediaApp, startMediaApp } from '../../libs/media/test-support/media-app';
import { activate, call } from '../support/auth-client';

const run = promisify(execFile);
const SECRET = 'test-media-secret-0123456789abcdef-xyz';
const FIXTURE = path.resolve(__dirname, '../../../shared/fixtures/video/short-hamilton-clip.mp4');

describe('protected HLS delivery (upload → package → play)', () => {
  let t: MediaApp;
  let base: string;
  let admin: string;
  let trainee: string;
  let lessonId: string;
  let outsideLessonId: string;
  let job: JobReply;

  beforeAll(async () => {
    t = await startMediaApp('hls', { MEDIA_SIGNED_URL_TTL_SECONDS: '60', MEDIA_SECRET: SECRET });
    base = t.baseUrl;
    const pw = t.passwords;
    admin = (await activate(base, 'admin', pw.get('admin')!)).accessToken;
    trainee = (await activate(base, 'trainee', pw.get('trainee')!)).accessToken;
    const programs = (await call(base, 'GET', '/api/v1/programs')).body.items;
    const yc = programs.find((p: { code: string }) => p.code === 'YC-2025-MINING').id;
    // The demo trainee is a team leader at a mining enterprise.
    const mine = await call(base, 'POST', '/api/v1/courses', {
      token: admin,
      body: { programId: yc, code: 'HLS-IN', title: '班组长必修视频', audiences: [{ industry: '矿山', category: 'team_leader', requirement: 'required' }] },
    });
    expect(mine.status).toBe(201);
    const other = await call(base, 'POST', '/api/v1/courses', {
      token: admin,
      body: { programId: yc, code: 'HLS-OUT', title: '安全管理人员课程', audiences: [{ industry: '矿山', category: 'safety_manager', requirement: 'required' }] },
    });
    lessonId = (await call(base, 'POST', `/api/v1/courses/${mine.body.id}/lessons`, { token: admin, body: { title: '第一课' } })).body.id;
    outsideLessonId = (await call(base, 'POST', `/api/v1/courses/${other.body.id}/lessons`, { token: admin, body: { title: '第一课' } })).body.id;

    const bytes = await fs.readFile(FIXTURE);
    const up = await tusUpload(base, admin, bytes, { lessonId, filename: 'short-hamilton-clip.mp4' });
    expect(up.patch?.status).toBe(204);
    job = await waitForJob(base, admin, up.jobId!);
    // The same file for the outsider's course.
    const up2 = await tusUpload(base, admin, bytes, { lessonId: outsideLessonId, filename: 'clip.mp4' });
    await waitForJob(base, admin, up2.jobId!);
  }, 120_000);
  afterAll(() => t?.stop());

  it('publishes the lesson with the probed duration after a remux', async () => {
    expect(job).toMatchObject({ status: 'succeeded', progress: 100, mode: 'remux', attempts: 1 });
    expect(job.sourceSha256).toBe(createHash('sha256').update(await fs.readFile(FIXTURE)).digest('hex'));
    const lesson = (await call(base, 'GET', `/api/v1/lessons/${lessonId}`, { token: admin })).body;
    expect(lesson.status).toBe('published');
    expect(lesson.durationSeconds).toBeCloseTo(10.008, 2);
  });

  it('plays end to end as hls.js would: playlist, key, segments; a decrypted segment probes as H.264/AAC', async () => {
    const playback = await call(base, 'GET', `/api/v1/lessons/${lessonId}/playback`, { token: trainee });
    expect(playback.status).toBe(200);
    const res = await fetch(base + playback.body.playlistUrl);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/vnd\.apple\.mpegurl/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const pl = parseMediaPlaylist(await res.text());
    expect(pl.text).toContain('#EXT-X-KEY:METHOD=AES-128');
    expect(pl.segments.length).toBeGreaterThanOrEqual(2);
    expect(pl.text).toContain('#EXT-X-ENDLIST');

    // The trainee of the audience gets the key only while studying the lesson (tests/e2e/study.e2e.spec.ts
    // opens a session and gets it); outside one it is refused, and the administrator previews.
    const outside = await fetch(base + pl.keyUri, { headers: { authorization: `Bearer ${trainee}` } });
    expect(outside.status).toBe(403);
    expect((await outside.json()).code).toBe('STUDY_SESSION_REQUIRED');
    const keyRes = await fetch(base + pl.keyUri, { headers: { authorization: `Bearer ${admin}` } });
    expect(keyRes.status).toBe(200);
    expect(keyRes.headers.get('cache-control')).toBe('no-store');
    const key = Buffer.from(await keyRes.arrayBuffer());
    expect(key.length).toBe(16);

    const segRes = await fetch(base + pl.segments[0]);
    expect(segRes.status).toBe(200);
    expect(segRes.headers.get('content-type')).toBe('video/mp2t');
    expect(segRes.headers.get('accept-ranges')).toBe('bytes');
    const encrypted = Buffer.from(await segRes.arrayBuffer());
    // Encrypted: not an MPEG-TS sync byte every 188 bytes.
    expect(encrypted[0] === 0x47 && encrypted[188] === 0x47).toBe(false);
    const plain = decryptSegment(pl, 0, key, encrypted);
    expect(plain[0]).toBe(0x47);
    const file = path.join(tmpdir(), `hls-seg-${process.pid}.ts`);
    await fs.writeFile(file, plain);
    try {
      const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name', '-of', 'json', file]);
      const codecs = (JSON.parse(stdout).streams as { codec_name: string }[]).map((s) => s.codec_name).sort();
      expect(codecs).toEqual(['aac', 'h264']);
    } finally {
      await fs.rm(file, { force: true });
    }
  });

  it('serves byte ranges of segments', async () => {
    const pl = parseMediaPlaylist(await (await fetch(base + (await call(base, 'GET', `/api/v1/lessons/${lessonId}/playback`, { token: admin })).body.playlistUrl)).text());
    const whole = Buffer.from(await (await fetch(base + pl.segments[1])).arrayBuffer());
    const part = await fetch(base + pl.segments[1], { headers: { range: 'bytes=100-299' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 100-299/${whole.length}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(whole.subarray(100, 300))).toBe(true);
    const bad = await fetch(base + pl.segments[1], { headers: { range: `bytes=${whole.length}-` } });
    expect(bad.status).toBe(416);
    expect(bad.headers.get('content-range')).toBe(`bytes */${whole.length}`);
  });

  it('refuses the key and the playback to a trainee outside the course’s audience (403)', async () => {
    const denied = await call(base, 'GET', `/api/v1/lessons/${outsideLessonId}/playback`, { token: trainee });
    expect(denied.status).toBe(403);
    expect(denied.body.code).toBe('NOT_IN_AUDIENCE');
    // Even holding a valid signed key URL (here: the administrator's), the outsider gets no key.
    const adminPlayback = await call(base, 'GET', `/api/v1/lessons/${outsideLessonId}/playback`, { token: admin });
    const pl = parseMediaPlaylist(await (await fetch(base + adminPlayback.body.playlistUrl)).text());
    const res = await fetch(base + pl.keyUri, { headers: { authorization: `Bearer ${trainee}` } });
    expect(res.status).toBe(403);
    expect((await res.json()).code).toBe('NOT_IN_AUDIENCE');
    // Without a login there is no key at all.
    expect((await fetch(base + pl.keyUri)).status).toBe(401);
  });

  it('refuses tampered signed URLs with 403', async () => {
    const { playlistUrl } = (await call(base, 'GET', `/api/v1/lessons/${lessonId}/playback`, { token: trainee })).body;
    const pl = parseMediaPlaylist(await (await fetch(base + playlistUrl)).text());
    const u = new URL(pl.segments[0], base);
    const cases = [
      // another segment under the same signature
      pl.segments[0].replace('seg-00000.ts', 'seg-00001.ts'),
      // a later expiry
      `${u.pathname}?exp=${Number(u.searchParams.get('exp')) + 3600}&sig=${u.searchParams.get('sig')}`,
      // a flipped signature character
      `${u.pathname}?exp=${u.searchParams.get('exp')}&sig=${u.searchParams.get('sig')!.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))}`,
      // no signature
      u.pathname,
      // the playlist with the segment's signature
      `${playlistUrl.split('?')[0]}?${u.searchParams}`,
    ];
    for (const url of cases) {
      const res = await fetch(base + url);
      expect([url, res.status]).toEqual([url, 403]);
      expect((await res.json()).code).toBe('MEDIA_URL_INVALID');
    }
  });

  it('refuses an expired signed URL with 403', async () => {
    const { playlistUrl } = (await call(base, 'GET', `/api/v1/lessons/${lessonId}/playback`, { token: trainee })).body;
    const pathOnly = playlistUrl.split('?')[0];
    // Signed correctly with the server's key (the test set MEDIA_SECRET), but a minute ago.
    const expired = `${pathOnly}?${signQuery(deriveMediaKeys(SECRET).urlSigningKey, pathOnly, Math.floor(Date.now() / 1000) - 60)}`;
    const res = await fetch(base + expired);
    expect(res.status).toBe(403);
    expect((await res.json()).code).toBe('MEDIA_URL_EXPIRED');
    // The same forger with a future expiry gets through: the refusal above is the expiry alone.
    const fresh = `${pathOnly}?${signQuery(deriveMediaKeys(SECRET).urlSigningKey, pathOnly, Math.floor(Date.now() / 1000) + 60)}`;
    expect((await fetch(base + fresh)).status).toBe(200);
  });

  it('lists the course for the trainee as required, with the program deadline', async () => {
    const mine = (await call(base, 'GET', '/api/v1/me/courses', { token: trainee })).body;
    const yc = mine.programs[0];
    const codes = yc.required.map((c: { course: { code: string } }) => c.course.code);
    expect(codes).toContain('HLS-IN');
    expect(codes).not.toContain('HLS-OUT');
    expect(yc.elective.map((c: { course: { code: string } }) => c.course.code)).not.toContain('HLS-OUT');
    const entry = yc.required.find((c: { course: { code: string } }) => c.course.code === 'HLS-IN');
    expect(entry.deadline).toBe('2025-04-30');
    expect(entry.course.lessons).toHaveLength(1);
  });
});
