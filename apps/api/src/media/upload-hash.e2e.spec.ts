import { createHash, randomBytes } from 'node:crypto';
import { activate, call } from '../../../../tests/support/auth-client';
import { MediaApp, startMediaApp } from '../../../../libs/media/test-support/media-app';
import { tusCreate, tusOffset, tusPatch, tusPatchInterrupted } from '../../../../libs/media/test-support/tus-client';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/**
 * The upload's SHA-256 is taken while tus writes it, so the job has it before any runner touched
 * the file. Packaging jobs are not run in this process (JOBS_RUN=study.sweep): a hash on the queued job can
 * only have come from the upload path, not from the packager's fallback.
 */
describe('upload hashed as it arrives (tus)', () => {
  let t: MediaApp;
  let admin: string;
  let courseId: string;

  beforeAll(async () => {
    t = await startMediaApp('upload-hash', { JOBS_RUN: 'study.sweep' });
    admin = (await activate(t.baseUrl, 'admin', t.passwords.get('admin')!)).accessToken;
    const program = (await call(t.baseUrl, 'GET', '/api/v1/programs')).body.items[0].id;
    courseId = (
      await call(t.baseUrl, 'POST', '/api/v1/courses', {
        token: admin,
        body: { programId: program, code: 'UH-1', title: '上传校验', audiences: [{ industry: '*', category: '*', requirement: 'elective' }] },
      })
    ).body.id;
  }, 120_000);
  afterAll(() => t?.stop());

  const lesson = async () => (await call(t.baseUrl, 'POST', `/api/v1/courses/${courseId}/lessons`, { token: admin, body: { title: '课时' } })).body.id as string;

  it('records the SHA-256 on the queued job, across an interrupted and resumed PATCH', async () => {
    const bytes = randomBytes(3 * 1024 * 1024 + 123);
    const created = await tusCreate(t.baseUrl, admin, bytes.length, { lessonId: await lesson(), filename: 'a.mp4' });
    const location = created.headers.get('location')!;
    await tusPatchInterrupted(t.baseUrl, admin, location, 0, bytes, Math.floor(bytes.length / 2));
    const offset = await tusOffset(t.baseUrl, admin, location);
    expect(offset).toBeGreaterThan(0);
    const rest = await tusPatch(t.baseUrl, admin, location, offset, bytes.subarray(offset));
    expect(rest.status).toBe(204);
    const job = (await call(t.baseUrl, 'GET', `/api/v1/media/jobs/${rest.headers.get('media-job-id')}`, { token: admin })).body;
    expect(job.status).toBe('queued');
    expect(job.sourceSha256).toBe(sha256(bytes));
  });

  it('hashes an upload sent in several PATCHes', async () => {
    const bytes = randomBytes(1024 * 1024 + 7);
    const created = await tusCreate(t.baseUrl, admin, bytes.length, { lessonId: await lesson(), filename: 'b.mp4' });
    const location = created.headers.get('location')!;
    let offset = 0;
    let last;
    for (const end of [100_000, 600_000, bytes.length]) {
      last = await tusPatch(t.baseUrl, admin, location, offset, bytes.subarray(offset, end));
      offset = end;
    }
    const job = (await call(t.baseUrl, 'GET', `/api/v1/media/jobs/${last!.headers.get('media-job-id')}`, { token: admin })).body;
    expect(job.sourceSha256).toBe(sha256(bytes));
  });
});
