// Every state change of the catalog and media contexts commits with its audit record: what each
// route (and the ingest job) recorded, read straight from the log; a refused call records nothing.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { MongoClient } from 'mongodb';
import type { AuditRecord } from '@app/audit';
import { AUDIT_LOG } from '@app/audit';
import { SeedRegistry } from '@app/platform';
import { waitForJob } from '../../libs/media/test-support/jobs';
import { MediaApp, startMediaApp } from '../../libs/media/test-support/media-app';
import { tusCreate, tusUpload } from '../../libs/media/test-support/tus-client';
import { DEMO_COURSES } from '../../libs/catalog/src/seed/courses.data';
import { PROGRAMS } from '../../libs/catalog/src/seed/programs.data';
import { startTestApp, TestApp } from '../support/app';
import { auditCount, auditRecords } from '../support/audit';
import { activate, call, demoPasswords, Reply } from '../support/auth-client';

const FIXTURE = path.resolve(__dirname, '../../../shared/fixtures/video/short-hamilton-clip.mp4');
const SEED = { kind: 'system', reason: '演示数据 demo seed' };
const INGEST = { kind: 'system', reason: '视频转码任务 media ingest' };
const YC_REGION = { regionCode: '230700' };
const CATALOG_ACTIONS = ['program.create', 'program.update', 'program.study-settings.update', 'course.create', 'course.update', 'lesson.create', 'lesson.rename', 'lesson.reorder'];

const requestIdOf = (r: Reply) => r.headers.get('x-request-id')!;

describe('audit records of the catalog use cases', () => {
  let t: TestApp;
  let base: string;
  let admin: string;
  let adminId: string;
  let institution: string;
  let yc: { id: string; code: string };

  beforeAll(async () => {
    t = await startTestApp('audit-catalog');
    base = t.baseUrl;
    const pw = demoPasswords(t.app);
    admin = (await activate(base, 'admin', pw.get('admin')!)).accessToken;
    institution = (await activate(base, 'yc-institution', pw.get('yc-institution')!)).accessToken;
    adminId = (await call(base, 'GET', '/api/v1/auth/me', { token: admin })).body.id;
    yc = (await call(base, 'GET', '/api/v1/programs')).body.items.find((p: { code: string }) => p.code === 'YC-2025-MINING');
  });
  afterAll(() => t?.stop());

  const adminActor = () => ({ kind: 'user', id: adminId, role: 'admin' });
  /** What one request recorded. */
  const recordsOf = (r: Reply) => auditRecords(t.app, { requestId: requestIdOf(r) });
  const catalogCount = () => auditCount(t.app, { action: { $in: CATALOG_ACTIONS } });
  const newCourse = (code: string, extra: object = {}) =>
    call(base, 'POST', '/api/v1/courses', {
      token: admin,
      body: { programId: yc.id, code, title: '事故案例警示教育', audiences: [{ industry: '矿山', category: 'team_leader', requirement: 'required' }], ...extra },
    });
  const addLesson = (courseId: string, title: string) => call(base, 'POST', `/api/v1/courses/${courseId}/lessons`, { token: admin, body: { title } });

  it('seeds programs, demo courses, their lessons and the study settings as the demo-seed system actor; seeding again records nothing', async () => {
    const seeded = (action: string) => auditRecords(t.app, { action }).then((rs) => rs.filter((r) => r.actor.kind === 'system'));
    const programs = await seeded('program.create');
    expect(programs).toHaveLength(PROGRAMS.length);
    for (const r of programs) expect(r.actor).toEqual(SEED);
    expect(programs.find((r) => r.after?.code === 'YC-2025-MINING')).toMatchObject({ target: { type: 'program', id: yc.id }, tenant: YC_REGION, after: { regionCode: '230700' } });
    expect(programs.every((r) => r.requestId === undefined)).toBe(true);

    const courses = await seeded('course.create');
    expect(courses.map((r) => r.after?.code).sort()).toEqual(DEMO_COURSES.map((c) => c.code).sort());
    expect(courses.every((r) => r.after?.demo === true)).toBe(true);
    expect(await seeded('lesson.create')).toHaveLength(DEMO_COURSES.reduce((n, c) => n + c.lessons.length, 0));
    const settings = await seeded('program.study-settings.update');
    expect(settings).toHaveLength(1);
    expect(settings[0]).toMatchObject({ actor: SEED, target: { type: 'program', id: yc.id }, before: { electiveTargets: [] }, after: { electiveTargets: [{ industry: '*', category: '*', minHours: 2 }] } });

    const before = await catalogCount();
    for (const s of t.app.get(SeedRegistry).ordered().filter((x) => x.name.startsWith('catalog.'))) await s.seed();
    expect(await catalogCount()).toBe(before);
  });

  it('records course.create by the administrator, with the request id and the program’s region', async () => {
    const res = await newCourse('AUD-C1', { deadline: '2025-06-30' });
    expect(res.status).toBe(201);
    const recs = await recordsOf(res);
    expect(recs).toHaveLength(1);
    expect(recs[0]).toMatchObject({
      action: 'course.create',
      actor: adminActor(),
      target: { type: 'course', id: res.body.id },
      tenant: YC_REGION,
      requestId: requestIdOf(res),
      after: { programId: yc.id, code: 'AUD-C1', title: '事故案例警示教育', deadline: '2025-06-30', audiences: [{ industry: '矿山', category: 'team_leader', requirement: 'required' }] },
    });
    expect(recs[0].before).toBeUndefined();
  });

  it('records course.update with before/after of the changed fields only; the same values again record nothing', async () => {
    const c = (await newCourse('AUD-C2')).body;
    const res = await call(base, 'PATCH', `/api/v1/courses/${c.id}`, { token: admin, body: { title: '新的名称', description: '', deadline: '2025-05-31' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ title: '新的名称', deadline: '2025-05-31' });
    const recs = await recordsOf(res);
    expect(recs).toHaveLength(1);
    expect(recs[0]).toMatchObject({ action: 'course.update', actor: adminActor(), target: { type: 'course', id: c.id }, tenant: YC_REGION });
    expect(recs[0].before).toEqual({ title: '事故案例警示教育', deadline: null });
    expect(recs[0].after).toEqual({ title: '新的名称', deadline: '2025-05-31' });

    const cleared = await call(base, 'PATCH', `/api/v1/courses/${c.id}`, { token: admin, body: { deadline: null } });
    expect((await recordsOf(cleared)).map((r) => [r.before, r.after])).toEqual([[{ deadline: '2025-05-31' }, { deadline: null }]]);

    const same = await call(base, 'PATCH', `/api/v1/courses/${c.id}`, { token: admin, body: { title: '新的名称' } });
    expect(same.status).toBe(200);
    expect(await recordsOf(same)).toEqual([]);
  });

  it('records lesson.create, lesson.rename and lesson.reorder', async () => {
    const c = (await newCourse('AUD-C3')).body;
    const created: Reply[] = [];
    for (const title of ['一', '二', '三']) created.push(await addLesson(c.id, title));
    const ids = created.map((r) => r.body.id as string);
    const first = await recordsOf(created[0]);
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ action: 'lesson.create', actor: adminActor(), target: { type: 'lesson', id: ids[0] }, tenant: YC_REGION, after: { courseId: c.id, title: '一', position: 0 } });
    expect((await recordsOf(created[2]))[0].after).toEqual({ courseId: c.id, title: '三', position: 2 });

    const renamed = await call(base, 'PATCH', `/api/v1/lessons/${ids[1]}`, { token: admin, body: { title: '第二课' } });
    expect(renamed.body.title).toBe('第二课');
    const rename = await recordsOf(renamed);
    expect(rename).toHaveLength(1);
    expect(rename[0]).toMatchObject({ action: 'lesson.rename', actor: adminActor(), target: { type: 'lesson', id: ids[1] }, before: { title: '二' }, after: { title: '第二课' } });

    const reordered = await call(base, 'PUT', `/api/v1/courses/${c.id}/lesson-order`, { token: admin, body: { lessonIds: [ids[2], ids[0], ids[1]] } });
    expect(reordered.body.map((l: { id: string }) => l.id)).toEqual([ids[2], ids[0], ids[1]]);
    const reorder = await recordsOf(reordered);
    expect(reorder).toHaveLength(1);
    expect(reorder[0]).toMatchObject({ action: 'lesson.reorder', actor: adminActor(), target: { type: 'course', id: c.id }, tenant: YC_REGION });
    expect(reorder[0].before).toEqual({ lessonIds: ids });
    expect(reorder[0].after).toEqual({ lessonIds: [ids[2], ids[0], ids[1]] });

    const again = await call(base, 'PUT', `/api/v1/courses/${c.id}/lesson-order`, { token: admin, body: { lessonIds: [ids[2], ids[0], ids[1]] } });
    expect(again.status).toBe(200);
    expect(await recordsOf(again)).toEqual([]);
  });

  it('records program.study-settings.update with what changed', async () => {
    const current = (await call(base, 'GET', `/api/v1/programs/${yc.id}`)).body;
    const res = await call(base, 'PATCH', `/api/v1/programs/${yc.id}/study-settings`, {
      token: admin,
      body: { completionDeadline: '2025-05-15', electiveTargets: [{ industry: '*', category: '*', minHours: 3 }] },
    });
    expect(res.status).toBe(200);
    const recs = await recordsOf(res);
    expect(recs).toHaveLength(1);
    expect(recs[0]).toMatchObject({ action: 'program.study-settings.update', actor: adminActor(), target: { type: 'program', id: yc.id }, tenant: YC_REGION, requestId: requestIdOf(res) });
    expect(recs[0].before).toEqual({ completionDeadline: current.completionDeadline, electiveTargets: current.electiveTargets });
    expect(recs[0].after).toEqual({ completionDeadline: '2025-05-15', electiveTargets: [{ industry: '*', category: '*', minHours: 3 }] });
  });

  it('records nothing for a refused call, and the refusal keeps its status and code', async () => {
    const c = (await newCourse('AUD-C4')).body;
    const l = (await addLesson(c.id, '一')).body;
    const before = await auditCount(t.app);
    const refusals: [Reply, number, string][] = [
      [await newCourse('AUD-BAD', { audiences: [{ industry: '冶金', category: 'team_leader', requirement: 'required' }] }), 400, 'AUDIENCE_INVALID'],
      [await newCourse('AUD-C4'), 409, 'COURSE_CODE_TAKEN'],
      [await newCourse('AUD-LATE', { deadline: '2026-01-31' }), 400, 'COURSE_DEADLINE_INVALID'],
      [await newCourse('AUD-NOPROG', { programId: '000000000000000000000000' }), 404, 'PROGRAM_NOT_FOUND'],
      [await newCourse('bad code!'), 400, 'VALIDATION_FAILED'],
      [await call(base, 'PATCH', `/api/v1/courses/${c.id}`, { token: admin, body: { deadline: '2022-12-31' } }), 400, 'COURSE_DEADLINE_INVALID'],
      [await call(base, 'PATCH', `/api/v1/courses/000000000000000000000000`, { token: admin, body: { title: 'x' } }), 404, 'COURSE_NOT_FOUND'],
      [await call(base, 'POST', `/api/v1/courses/000000000000000000000000/lessons`, { token: admin, body: { title: 'x' } }), 404, 'COURSE_NOT_FOUND'],
      [await call(base, 'PUT', `/api/v1/courses/${c.id}/lesson-order`, { token: admin, body: { lessonIds: [] } }), 400, 'LESSON_ORDER_MISMATCH'],
      [await call(base, 'PATCH', `/api/v1/lessons/000000000000000000000000`, { token: admin, body: { title: 'x' } }), 404, 'LESSON_NOT_FOUND'],
      [await call(base, 'PATCH', `/api/v1/lessons/${l.id}`, { token: institution, body: { title: 'x' } }), 403, 'FORBIDDEN'],
      [await call(base, 'PATCH', `/api/v1/programs/${yc.id}/study-settings`, { token: admin, body: { electiveTargets: [{ industry: '冶金', category: '*', minHours: 2 }] } }), 400, 'ELECTIVE_TARGET_INVALID'],
      [await call(base, 'PATCH', `/api/v1/programs/000000000000000000000000/study-settings`, { token: admin, body: {} }), 404, 'PROGRAM_NOT_FOUND'],
    ];
    for (const [res, status, code] of refusals) {
      expect([res.status, res.body.code]).toEqual([status, code]);
      expect(await recordsOf(res)).toEqual([]);
    }
    expect(await auditCount(t.app)).toBe(before);
    expect((await call(base, 'GET', `/api/v1/lessons/${l.id}`, { token: admin })).body.title).toBe('一');
  });
});

describe('audit records of a video upload and its ingest job', () => {
  let t: MediaApp;
  let base: string;
  let admin: string;
  let adminId: string;
  let courseId: string;
  let mongo: MongoClient;

  beforeAll(async () => {
    t = await startMediaApp('audit-media');
    base = t.baseUrl;
    admin = (await activate(base, 'admin', t.passwords.get('admin')!)).accessToken;
    adminId = (await call(base, 'GET', '/api/v1/auth/me', { token: admin })).body.id;
    const yc = (await call(base, 'GET', '/api/v1/programs')).body.items.find((p: { code: string }) => p.code === 'YC-2025-MINING').id;
    courseId = (
      await call(base, 'POST', '/api/v1/courses', {
        token: admin,
        body: { programId: yc, code: 'AUD-UP', title: '上传审计', audiences: [{ industry: '*', category: '*', requirement: 'elective' }] },
      })
    ).body.id;
    mongo = await MongoClient.connect(t.db.uri);
  }, 120_000);
  afterAll(async () => {
    await mongo?.close();
    await t?.stop();
  });

  const records = (filter: object) =>
    mongo.db(t.db.dbName).collection(AUDIT_LOG).find(filter).sort({ at: 1, seq: 1 }).toArray() as unknown as Promise<AuditRecord[]>;
  const newLesson = async (title: string) => (await call(base, 'POST', `/api/v1/courses/${courseId}/lessons`, { token: admin, body: { title } })).body.id as string;

  it('records media-job.create by the uploading administrator, then lesson.publish by the ingest job', async () => {
    const lessonId = await newLesson('审计视频');
    const up = await tusUpload(base, admin, await fs.readFile(FIXTURE), { lessonId, filename: 'clip.mp4' });
    expect(up.patch?.status).toBe(204);
    const job = await waitForJob(base, admin, up.jobId!);
    expect(job.status).toBe('succeeded');
    const lesson = (await call(base, 'GET', `/api/v1/lessons/${lessonId}`, { token: admin })).body;
    expect(lesson.status).toBe('published');

    const created = await records({ action: 'media-job.create', 'target.id': up.jobId });
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({
      actor: { kind: 'user', id: adminId, role: 'admin' },
      target: { type: 'media-job', id: up.jobId },
      tenant: YC_REGION,
      requestId: up.patch!.headers.get('x-request-id'),
      before: { lessonId, lessonStatus: 'draft' },
      after: { lessonId, lessonStatus: 'processing', fileName: 'clip.mp4', sourceSha256: job.sourceSha256 },
    });

    const published = await records({ 'target.id': lessonId, action: { $ne: 'lesson.create' } });
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({
      action: 'lesson.publish',
      actor: INGEST,
      target: { type: 'lesson', id: lessonId },
      tenant: YC_REGION,
      before: { status: 'processing' },
      after: { status: 'published', jobId: up.jobId, durationSeconds: lesson.durationSeconds, mode: 'remux', sourceSha256: job.sourceSha256, removedRenditionIds: [] },
    });
    expect(published[0].requestId).toBeUndefined();
    const renditionId = published[0].after!.renditionId as string;
    expect(renditionId).toMatch(/^[0-9a-f]{24}$/);

    // A second upload replaces the video: the record names the rendition it removed.
    const again = await tusUpload(base, admin, await fs.readFile(FIXTURE), { lessonId, filename: 'clip-v2.mp4' });
    expect((await waitForJob(base, admin, again.jobId!)).status).toBe('succeeded');
    const replaced = await records({ action: 'lesson.publish', 'target.id': lessonId });
    expect(replaced).toHaveLength(2);
    expect(replaced[1]).toMatchObject({ before: { status: 'published', renditionId }, after: { jobId: again.jobId, removedRenditionIds: [renditionId] } });
    expect((await records({ action: 'media-job.create', 'target.id': again.jobId }))[0]).toMatchObject({ before: { lessonStatus: 'published', previousJobId: up.jobId }, after: { lessonStatus: 'published' } });
  });

  it('records media-job.fail by the ingest job when the upload is rejected', async () => {
    const lessonId = await newLesson('不是视频');
    const up = await tusUpload(base, admin, Buffer.from('这是一份会议纪要，不是视频。\n'.repeat(200)), { lessonId, filename: 'notes.mp4' });
    const job = await waitForJob(base, admin, up.jobId!);
    expect(job.status).toBe('failed');
    const recs = await records({ 'target.id': up.jobId });
    expect(recs.map((r) => r.action)).toEqual(['media-job.create', 'media-job.fail']);
    expect(recs[1]).toMatchObject({
      actor: INGEST,
      target: { type: 'media-job', id: up.jobId },
      tenant: YC_REGION,
      before: { lessonId, lessonStatus: 'processing' },
      after: { lessonId, lessonStatus: 'failed', code: 'MEDIA_UNRECOGNISED', message: job.error.message },
    });
    expect(await records({ action: 'lesson.publish', 'target.id': lessonId })).toEqual([]);
  });

  it('records nothing for a refused upload', async () => {
    const before = await records({});
    const unknown = await tusCreate(base, admin, 10, { lessonId: '000000000000000000000000' });
    expect([unknown.status, JSON.parse(unknown.body).code]).toEqual([404, 'LESSON_NOT_FOUND']);
    expect((await tusCreate(base, admin, 10, {})).status).toBe(400);
    expect(await records({})).toHaveLength(before.length);
  });
});
