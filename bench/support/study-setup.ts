/**
 * Setup of the study benchmark: a real API process on a fresh data directory, a published lesson
 * packaged through the real upload path, and N trainees who can study it.
 *
 * Through the API (as a deployment does it): the demo accounts' activation, the roster import that
 * creates the N trainee records, the course with its audience, the lesson and its video upload.
 * Straight into the API's database through the identity context's own repositories and services
 * (bench-only, printed as such), because doing them one by one over HTTP would take most of the
 * run: the trainees' logins (one argon2 hash for all, instead of N), their face consent, one face
 * reference each (ONE descriptor computed by the face engine from the enrolment photo, copied to
 * every trainee, instead of N enrolments through the engine), and an access token per trainee signed
 * with the API's own key from its data directory (a login session each, like a real login makes).
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Types } from 'mongoose';
import sharp from 'sharp';
import { FaceEngine } from '@app/face';
import {
  FACE_CONSENT_TEXT,
  FaceConsentService,
  OrganisationRepository,
  readDemoLogins,
  systemScope,
  Trainee,
  TraineeRepository,
  UserRepository,
} from '@app/identity';
import { LedgerModule, LedgerRepository } from '@app/ledger';
import { addressOf, loadConfig, PlatformModule, withDbName } from '@app/platform';
import { EMBEDDED_DB_NAME } from '../../libs/platform/src/database/uri';
import { EvidenceStore } from '@app/evidence';
import { CONTEXT_MODULES } from '../../apps/api/src/contexts';
import { AccessTokens } from '../../libs/identity/src/auth/access-tokens';
import { PasswordHasher } from '../../libs/identity/src/auth/password-hasher';
import { SessionRepository } from '../../libs/identity/src/auth/session.repository';
import { FaceReferenceRepository } from '../../libs/identity/src/enrolment/face-reference.repository';
import { waitForJob } from '../../libs/media/test-support/jobs';
import { tusUpload } from '../../libs/media/test-support/tus-client';
import { activate, call, login } from '../../tests/support/auth-client';
import { ApiProcess, freePort, startApiProcess } from '../../tests/support/process';
import { rosterXlsx, sampleRow } from '../roster';
import { pool } from './study-stats';

const run = promisify(execFile);
export const FACES_DIR = path.resolve(__dirname, '../../../shared/fixtures/faces');
const BENCH_PASSWORD = 'Bench-study-2026';

export interface BenchTrainee {
  traineeId: string;
  userId: string;
  token: string;
}

export interface StudyFixture {
  api: ApiProcess;
  apiPid: number;
  /** 'embedded (…)' or the external address, without credentials. */
  database: string;
  programId: string;
  courseId: string;
  lessonId: string;
  lessonDuration: number;
  trainees: BenchTrainee[];
  ledger: LedgerRepository;
  /** Closes the bench's database connection, stops the API and removes the data directory. */
  stop(): Promise<void>;
}

export interface SetupOptions {
  trainees: number;
  lessonSeconds: number;
  /** STUDY_* and other settings for the API process. */
  env: Record<string, string>;
  log(line: string): void;
  /** Registered before anything is started, so Ctrl-C during setup still cleans up. */
  onCleanup(fn: () => Promise<void>): void;
}

async function step<T>(log: (l: string) => void, what: string, fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const result = await fn();
  log(`  setup: ${what} — ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return result;
}

export async function setUpStudy(o: SetupOptions): Promise<StudyFixture> {
  const { log } = o;
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'bench-study-'));
  // Declared before the cleanup that reads it, assigned once the process is up.
  // eslint-disable-next-line prefer-const
  let api: ApiProcess | undefined;
  let ctx: INestApplicationContext | undefined;
  const external = process.env.MONGODB_URI;
  const dbName = `bench_study_${process.pid}`;
  const cleanup = async () => {
    await ctx?.close().catch(() => undefined);
    ctx = undefined;
    if (api && api.child.exitCode === null && api.child.signalCode === null) {
      api.child.kill('SIGTERM');
      const killer = setTimeout(() => api?.child.kill('SIGKILL'), 15_000);
      await api.exited;
      clearTimeout(killer);
    }
    if (external) {
      const { MongoClient } = await import('mongodb');
      const client = await MongoClient.connect(external).catch(() => undefined);
      await client?.db(dbName).dropDatabase().catch(() => undefined);
      await client?.close();
    }
    await fs.rm(dataDir, { recursive: true, force: true });
  };
  o.onCleanup(cleanup);

  const port = await freePort();
  const dbPort = await freePort();
  const dbUri = external ? withDbName(external, dbName) : `mongodb://127.0.0.1:${dbPort}/${EMBEDDED_DB_NAME}?directConnection=true`;
  const mediaSecret = createHash('sha256').update(dataDir).digest('hex');
  api = await step(log, 'API process started (seeded, face engine loaded eagerly)', () =>
    startApiProcess(
      {
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: String(port),
        DATA_DIR: dataDir,
        LOG_LEVEL: 'warn',
        SEED_ON_START: 'auto',
        MEDIA_SECRET: mediaSecret,
        MEDIA_MAX_DURATION_SECONDS: String(Math.max(4 * 3600, o.lessonSeconds + 60)),
        ...(external ? { MONGODB_URI: dbUri } : { EMBEDDED_DB_PORT: String(dbPort) }),
        ...o.env,
      },
      180_000,
    ),
  );
  const base = api.baseUrl;
  const database = external ? `MONGODB_URI ${addressOf(external)} (db ${dbName})` : `embedded (child process of the API, 127.0.0.1:${dbPort})`;

  // The bench's own connection to the API's database, with the API's data directory: the same
  // secrets file, so the same token key and PII keys.
  // Tokens signed here must outlive the ramp (a 5,000-trainee ramp takes longer than the default 15
  // minutes); the socket checks the handshake token once, as it would for a trainee who logged in
  // just before opening the lesson.
  const config = loadConfig({
    DATA_DIR: dataDir,
    MONGODB_URI: dbUri,
    SEED_ON_START: 'never',
    FACE_ENGINE_START: 'lazy',
    LOG_LEVEL: 'warn',
    MEDIA_SECRET: mediaSecret,
    AUTH_ACCESS_TTL_S: String(24 * 3600),
  });
  @Module({ imports: [PlatformModule.forRoot(config), ...CONTEXT_MODULES, LedgerModule] })
  class BenchSetupModule {}
  ctx = await NestFactory.createApplicationContext(BenchSetupModule, { logger: ['error', 'warn'] });

  const demo = new Map(readDemoLogins(path.join(dataDir, 'demo-logins.txt')).map((l) => [l.username, l.password]));
  const admin = (await activate(base, 'admin', demo.get('admin')!)).accessToken;
  const institution = (await activate(base, 'yc-institution', demo.get('yc-institution')!)).accessToken;
  const programs = (await call(base, 'GET', '/api/v1/programs', { token: admin })).body.items as Array<{ id: string; code: string; categories: Array<{ code: string; name: string }> }>;
  const program = programs.find((p) => p.code === 'YC-2025-MINING');
  if (!program) throw new Error('seeded program YC-2025-MINING not found');
  const orgs = (await call(base, 'GET', '/api/v1/organisations', { token: institution })).body.items as Array<{ id: string; kind: string; uscc?: string; name: string; industry?: string }>;
  const enterprise = orgs.find((e) => e.kind === 'enterprise' && e.industry === '矿山');
  if (!enterprise) throw new Error('no mining enterprise in 伊春');
  const category = program.categories.find((c) => c.code === 'team_leader')!;

  await step(log, `roster import of ${o.trainees} trainees (POST /trainees/import)`, async () => {
    const rows = Array.from({ length: o.trainees }, (_, i) => sampleRow(i, [enterprise], [category.name]));
    const form = new FormData();
    form.set('programId', program.id);
    form.set('file', new Blob([new Uint8Array(await rosterXlsx(rows))]), 'roster.xlsx');
    const res = await fetch(`${base}/api/v1/trainees/import`, { method: 'POST', headers: { authorization: `Bearer ${institution}` }, body: form });
    const body = (await res.json()) as { created?: number; rejected?: number; errors?: unknown[] };
    if (res.status !== 200 || body.created !== o.trainees) throw new Error(`roster import: ${res.status} ${JSON.stringify(body).slice(0, 500)}`);
  });

  const course = await call(base, 'POST', '/api/v1/courses', {
    token: admin,
    body: { programId: program.id, code: 'BENCH-STUDY', title: '压测课程（班组长必修）', audiences: [{ industry: '矿山', category: 'team_leader', requirement: 'required' }] },
  });
  if (course.status !== 201) throw new Error(`course: ${course.status} ${JSON.stringify(course.body)}`);
  const lesson = await call(base, 'POST', `/api/v1/courses/${course.body.id}/lessons`, { token: admin, body: { title: '压测课时' } });
  if (lesson.status !== 201) throw new Error(`lesson: ${lesson.status} ${JSON.stringify(lesson.body)}`);
  const lessonId = lesson.body.id as string;

  const video = path.join(dataDir, 'lesson.mp4');
  await step(log, `${(o.lessonSeconds / 60).toFixed(0)}-minute H.264/AAC lesson generated (ffmpeg lavfi, 320×180)`, () =>
    run('ffmpeg', [
      '-nostdin', '-loglevel', 'error', '-y',
      '-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=10', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=22050',
      '-t', String(o.lessonSeconds), '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '32k', video,
    ]),
  );
  const lessonDuration = await step(log, 'lesson uploaded (tus) and packaged to AES-128 HLS by the media job', async () => {
    const up = await tusUpload(base, admin, await fs.readFile(video), { lessonId, filename: 'lesson.mp4' });
    if (up.patch?.status !== 204 || !up.jobId) throw new Error(`upload: ${up.create.status} ${up.patch?.status} ${up.create.body}`);
    const job = await waitForJob(base, admin, up.jobId, 600_000);
    if (job.status !== 'succeeded') throw new Error(`packaging: ${JSON.stringify(job)}`);
    const published = (await call(base, 'GET', `/api/v1/lessons/${lessonId}`, { token: admin })).body;
    if (published.status !== 'published') throw new Error(`lesson not published: ${JSON.stringify(published)}`);
    return published.durationSeconds as number;
  });
  await fs.rm(video, { force: true });

  const trainees = ctx.get(TraineeRepository);
  const setup = systemScope('压测准备：为导入的学员建立登录账号');
  const records: Trainee[] = [];
  for (let offset = 0; ; offset += 1000) {
    const page = await trainees.list(setup, { programId: program.id, enterpriseId: enterprise.id }, { offset, limit: 1000 });
    records.push(...page.items.filter((t) => !t.userId));
    if (page.items.length < 1000) break;
  }
  if (records.length !== o.trainees) throw new Error(`expected ${o.trainees} new trainee records, found ${records.length}`);

  const users = ctx.get(UserRepository);
  const passwordHash = await ctx.get(PasswordHasher).hash(BENCH_PASSWORD);
  const linked = new Map<string, string>();
  await step(log, `bench-only: ${o.trainees} trainee logins written through UserRepository (one shared argon2 hash), linked to their records`, () =>
    pool(records, 16, async (t, i) => {
      const user = await users.create({
        username: `bench-${i}`,
        displayName: t.name,
        role: 'trainee',
        organisationId: t.enterpriseId,
        passwordHash,
        mustChangePassword: false,
        demo: false,
      });
      if (!(await trainees.linkUser(setup, t.id, user.id))) throw new Error(`could not link ${t.id}`);
      linked.set(t.id, user.id);
    }),
  );

  const consents = ctx.get(FaceConsentService);
  const region = (await ctx.get(OrganisationRepository).findById(enterprise.id))!.regionCode;
  await step(log, 'bench-only: face consent granted through FaceConsentService, as each trainee', () =>
    pool(records, 16, async (t) => {
      const caller = { id: linked.get(t.id)!, role: 'trainee' as const, organisationId: t.enterpriseId, regionCode: region, sessionId: 'bench' };
      await consents.grant(caller, t.id, FACE_CONSENT_TEXT.version);
    }),
  );

  const enrolPhoto = await fs.readFile(path.join(FACES_DIR, 'obama-1.jpg'));
  const capture = (await captureImage()).bytes;
  const descriptor = await step(log, 'one reference descriptor computed by the face engine (obama-1.jpg; obama-2.jpg verified against it)', async () => {
    const engine = await FaceEngine.create({ poolSize: 1, log: () => undefined });
    try {
      const enrolled = await engine.enrol(enrolPhoto);
      if (!enrolled.accepted) throw new Error(`obama-1.jpg refused by the enrolment gates: ${enrolled.code}`);
      const check = await engine.verify(capture, [enrolled.descriptor]);
      log(`  setup: the capture frame vs that reference: ${check.outcome}, distance ${check.distance?.toFixed(3)} (threshold ${check.threshold})`);
      return enrolled;
    } finally {
      await engine.close();
    }
  });
  const references = ctx.get(FaceReferenceRepository);
  const evidence = ctx.get(EvidenceStore);
  await step(log, `bench-only: ${o.trainees} face references written through FaceReferenceRepository (that descriptor; the photo stored once)`, async () => {
    const key = `face-references/${program.id}/bench/obama-1.jpg`;
    const stored = await evidence.put(enrolPhoto, { key, contentType: 'image/jpeg' });
    await pool(records, 16, async (t) => {
      await references.insert({ ...t, userId: linked.get(t.id) }, {
        id: new Types.ObjectId(),
        status: 'active',
        descriptor: descriptor.descriptor,
        quality: descriptor.quality,
        image: { key, sha256: stored.sha256, contentType: 'image/jpeg', size: stored.size },
        source: 'upload',
        reason: 'bench:study',
        enrolledBy: linked.get(t.id)!,
        enrolledAt: new Date(),
        matches: [],
        replacePrevious: false,
      });
    });
  });

  const sessions = ctx.get(SessionRepository);
  const tokens = ctx.get(AccessTokens);
  const out: BenchTrainee[] = [];
  await step(log, `bench-only: ${o.trainees} login sessions + access tokens signed with the API's key (AccessTokens as a login issues them, valid 24 h)`, () =>
    pool(records, 16, async (t) => {
      const userId = linked.get(t.id)!;
      const session = await sessions.createSession(userId, new Date(Date.now() + 86_400_000), { userAgent: 'bench:study', ip: '127.0.0.1' });
      const token = await tokens.sign({ sub: userId, role: 'trainee', org: t.enterpriseId, region, sid: session.id, tv: 0 });
      out.push({ traineeId: t.id, userId, token });
    }),
  );

  // What the cheaper path saved: real logins (argon2 verify + session + refresh token) for a few.
  // The login route is throttled per address (30/min), so a sample is all loopback can do anyway.
  const sample = Math.min(8, o.trainees);
  const loginStart = performance.now();
  await pool(Array.from({ length: sample }, (_, i) => i), 2, async (i) => {
    const res = await login(base, `bench-${i}`, BENCH_PASSWORD);
    if (res.status !== 200) throw new Error(`login bench-${i}: ${res.status} ${JSON.stringify(res.body)}`);
  });
  const perLogin = (performance.now() - loginStart) / sample;
  log(
    `  setup: ${sample} real logins over HTTP (2 in parallel): ${perLogin.toFixed(0)} ms each → ${o.trainees} would take ≈ ${((perLogin * o.trainees) / 1000).toFixed(0)} s ` +
      `(and the login route allows 30/min per address: ${(o.trainees / 30).toFixed(0)} min from one address); tokens were signed instead`,
  );

  return {
    api,
    apiPid: api.child.pid!,
    database,
    programId: program.id,
    courseId: course.body.id,
    lessonId,
    lessonDuration,
    trainees: out,
    ledger: ctx.get(LedgerRepository),
    stop: cleanup,
  };
}

/**
 * The webcam frame every face check is answered with: obama-2.jpg made into what the console
 * uploads (FaceCheckModal grabs the video frame at most 640 pixels wide, JPEG quality 0.9).
 */
export async function captureImage(): Promise<{ bytes: Buffer; text: string }> {
  const source = await fs.readFile(path.join(FACES_DIR, 'obama-2.jpg'));
  const { data, info } = await sharp(source).rotate().resize({ width: 640, withoutEnlargement: true }).jpeg({ quality: 90 }).toBuffer({ resolveWithObject: true });
  return { bytes: data, text: `obama-2.jpg as the console sends a frame: ${info.width}×${info.height} JPEG q90, ${(data.length / 1024).toFixed(0)} KiB` };
}
