// Medium test: the course use case with the real repositories and the real audit trail against a
// real database (embedded, or MONGODB_URI when set) — a change and its record commit together or not at all.
import mongoose, { Connection } from 'mongoose';
import { AUDIT_LOG, AuditActor, AuditTrail, AuditTx } from '@app/audit';
import { AppError, systemClock } from '@app/platform';
import { testDatabase, TestDatabase } from '../../../../tests/support/db';
import { ProgramRepository } from '../programs/program.repository';
import { ProgramDoc, ProgramSchema } from '../programs/program.schema';
import { PROGRAMS } from '../seed/programs.data';
import { CourseDoc, CourseSchema, LessonDoc, LessonSchema } from './course.schema';
import { CourseRepository } from './course.repository';
import { CourseService } from './course.service';
import { LessonRepository } from './lesson.repository';

const ADMIN: AuditActor = { kind: 'user', id: 'u-admin', role: 'admin' };

let db: TestDatabase;
let conn: Connection;
let trail: AuditTrail;
let programs: ProgramRepository;
let courses: CourseRepository;
let lessons: LessonRepository;
let service: CourseService;
let programId: string;

beforeAll(async () => {
  db = await testDatabase('catalog-course-service');
  conn = await mongoose.createConnection(db.uri, { dbName: db.dbName }).asPromise();
  trail = new AuditTrail(conn, { writer: 'test', partitions: 2, clock: systemClock });
  await trail.init();
  programs = new ProgramRepository(conn.model(ProgramDoc.name, ProgramSchema));
  courses = new CourseRepository(conn.model(CourseDoc.name, CourseSchema));
  lessons = new LessonRepository(conn.model(LessonDoc.name, LessonSchema));
  // Collections and the unique (program, code) index exist before the first transaction, as at start-up.
  await Promise.all([conn.model(ProgramDoc.name).init(), conn.model(CourseDoc.name).init(), conn.model(LessonDoc.name).init()]);
  const yc = PROGRAMS.find((p) => p.code === 'YC-2025-MINING')!;
  await programs.upsertByCode(yc);
  programId = (await programs.findByCode(yc.code))!.id;
  service = new CourseService(trail, programs, courses, lessons);
});

afterAll(async () => {
  await conn?.close();
  await db?.stop();
});

const input = (code: string) => ({ programId, code, title: '事故案例警示教育', audiences: [{ industry: '矿山', category: 'team_leader', requirement: 'required' as const }] });
const records = (filter: object = {}) => conn.collection(AUDIT_LOG).find(filter).toArray();
const stored = (code: string) => conn.collection('courses').countDocuments({ code });

it('writes the course and its course.create record together', async () => {
  const { course } = await service.create(ADMIN, input('MED-OK'), { lessons: ['一', '二'] });
  expect(await stored('MED-OK')).toBe(1);
  const mine = await records({ $or: [{ 'target.id': course.id }, { 'after.courseId': course.id }] });
  expect(mine.map((r) => r.action)).toEqual(['course.create', 'lesson.create', 'lesson.create']);
  expect(mine[0]).toMatchObject({ actor: ADMIN, tenant: { regionCode: '230700' }, target: { type: 'course', id: course.id }, after: { code: 'MED-OK', programId } });
});

it('writes nothing when the record cannot be appended (the log refuses it)', async () => {
  const before = await records();
  const log = (trail as unknown as { log: { insertMany: (...a: unknown[]) => Promise<unknown> } }).log;
  const refused = jest.spyOn(log, 'insertMany').mockRejectedValueOnce(new Error('磁盘已满 (disk full)'));
  try {
    await expect(service.create(ADMIN, input('MED-NOHEAD'), { lessons: ['一'] })).rejects.toThrow('disk full');
  } finally {
    refused.mockRestore();
  }
  expect(await stored('MED-NOHEAD')).toBe(0);
  // Only the first test's lesson 一: the failed create's lesson did not stay either.
  expect(await conn.collection('lessons').countDocuments({ title: '一' })).toBe(1);
  expect(await records()).toHaveLength(before.length);
});

it('writes nothing when recording throws inside the commit', async () => {
  const before = await records();
  const real = trail.commit.bind(trail);
  const spy = jest.spyOn(trail, 'commit').mockImplementation((actor, work) =>
    real(actor, (tx: AuditTx) =>
      work({
        session: tx.session,
        record: () => {
          throw new Error('audit append failed');
        },
      }),
    ),
  );
  try {
    await expect(service.create(ADMIN, input('MED-THROW'))).rejects.toThrow('audit append failed');
  } finally {
    spy.mockRestore();
  }
  expect(await stored('MED-THROW')).toBe(0);
  expect(await records()).toHaveLength(before.length);
});

it('refuses bad input with its stable code and records nothing', async () => {
  const before = await records();
  const bad = service.create(ADMIN, { ...input('MED-BAD'), audiences: [{ industry: '冶金', category: 'team_leader', requirement: 'required' }] });
  await expect(bad).rejects.toBeInstanceOf(AppError);
  await expect(bad).rejects.toMatchObject({ code: 'AUDIENCE_INVALID' });
  await expect(service.create(ADMIN, input('MED-OK'))).rejects.toMatchObject({ code: 'COURSE_CODE_TAKEN' });
  expect(await stored('MED-BAD')).toBe(0);
  expect(await records()).toHaveLength(before.length);
});

it('records an update with before/after of the changed fields only, and nothing for a change to the same values', async () => {
  const { course } = await service.create(ADMIN, input('MED-UPD'));
  await service.update(ADMIN, course.id, { title: '新名称', description: '', deadline: '2025-06-30' });
  const [rec] = await records({ action: 'course.update', 'target.id': course.id });
  expect(rec).toMatchObject({ before: { title: '事故案例警示教育', deadline: null }, after: { title: '新名称', deadline: '2025-06-30' } });
  // description was '' and stays '': not a change.
  expect(rec.before).not.toHaveProperty('description');
  await service.update(ADMIN, course.id, { title: '新名称' });
  expect(await records({ action: 'course.update', 'target.id': course.id })).toHaveLength(1);
});
