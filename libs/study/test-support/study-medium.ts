// Medium-test harness for the study use cases: the real repositories, ledger and evidence store against
// a real database (embedded, or MONGODB_URI), a clock the test moves, and scripted ports for what
// lies outside the context (catalog/identity access, the face engine). Each test makes its own
// trainee and lesson, so nothing needs truncating.
import { AuditTrail } from '@app/audit';
import mongoose, { Connection, Types } from 'mongoose';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BlobEvidenceStore, DEFAULT_EVIDENCE_SETTINGS, EvidenceRecordDoc, EvidenceRecordRepository, EvidenceRecords, EvidenceRecordSchema } from '@app/evidence';
import type { AuthUser } from '@app/identity';
import { LedgerEntryDoc, LedgerEntrySchema, LedgerRepository } from '@app/ledger';
import { AppError, loadConfig, StudyConfig } from '@app/platform';
import { LocalBlobStore } from '@app/storage';
import { ManualClock } from '../../../tests/support/clock';
import { scopes } from '../../../tests/support/scopes';
import { testDatabase, TestDatabase } from '../../../tests/support/db';
import { StudyCaptureDoc, StudyCaptureSchema, StudyRefusalDoc, StudyRefusalSchema } from '../src/persistence/study-evidence.schema';
import { StudySessionRepository } from '../src/persistence/study-session.repository';
import { StudySessionDoc, StudySessionSchema } from '../src/persistence/study-session.schema';
import { seededRandom } from '../src/random/random';
import type { CaptureVerdict, FaceVerifier } from '../src/session/face-verifier';
import { StudySessionStore } from '../src/session/session-store';
import type { LessonAccess, StudyAccess } from '../src/session/study-access';
import type { StudyWatch } from '../src/session/study-watch';
import { StudySettings, studySettingsFrom } from '../src/session/study-settings';
import { AnswerPrompt } from '../src/use-cases/answer-prompt';
import { CloseStudySession } from '../src/use-cases/close-study-session';
import { OpenStudySession } from '../src/use-cases/open-study-session';
import { RecordHeartbeat } from '../src/use-cases/record-heartbeat';
import { SubmitCapture } from '../src/use-cases/submit-capture';
import { SweepStudySessions } from '../src/use-cases/sweep-study-sessions';

/** What a spec reads the stored state with: an administrator's scope, which sees every tenant. */
export const EVERYONE = scopes.admin();

/** The deployment's defaults, from the one place that defines them (the validated environment). */
export const DEFAULT_STUDY_CONFIG: StudyConfig = loadConfig({}).study;

const oid = () => new Types.ObjectId().toHexString();

/** A face engine that answers what the test scripted (match by default) and counts what it was asked. */
export class ScriptedVerifier implements FaceVerifier {
  readonly calls: { traineeId: string; bytes: number }[] = [];
  private readonly queue: CaptureVerdict[] = [];

  next(...verdicts: CaptureVerdict['outcome'][]): this {
    for (const outcome of verdicts) this.queue.push({ outcome, distance: outcome === 'match' ? 0.31 : outcome === 'mismatch' ? 0.72 : null, threshold: 0.54, faces: outcome === 'several-faces' ? 2 : outcome === 'match' || outcome === 'mismatch' ? 1 : 0 });
    return this;
  }

  async verify(traineeId: string, image: Uint8Array): Promise<CaptureVerdict> {
    this.calls.push({ traineeId, bytes: image.byteLength });
    return this.queue.shift() ?? { outcome: 'match', distance: 0.31, threshold: 0.54, faces: 1 };
  }
}

/** Catalog and identity as the study context sees them: every trainee the harness made may study every lesson it made. */
class HarnessAccess implements StudyAccess {
  readonly lessons = new Map<string, { courseId: string; duration: number }>();
  readonly trainees = new Map<string, { user: AuthUser; owner: LessonAccess['owner']; references: number[][] }>();

  async resolve(user: AuthUser, lessonId: string): Promise<LessonAccess> {
    const t = this.trainees.get(user.id);
    const lesson = this.lessons.get(lessonId);
    if (!t || !lesson) throw new Error(`harness: unknown trainee or lesson ${user.id} ${lessonId}`);
    return { owner: t.owner, lesson: { lessonId, courseId: lesson.courseId, minutesPerHour: 45 }, lessonDuration: lesson.duration };
  }

  async references(traineeId: string): Promise<number[][]> {
    return [...this.trainees.values()].find((t) => t.owner.traineeId === traineeId)?.references ?? [];
  }

  async curricula(): Promise<never[]> {
    return [];
  }

  async titles(): Promise<Map<string, { lessonTitle: string; courseTitle: string }>> {
    return new Map();
  }

  async traineeInScope(): Promise<undefined> {
    return undefined;
  }
}

export interface StudyMedium {
  readonly db: TestDatabase;
  readonly conn: Connection;
  readonly clock: ManualClock;
  readonly settings: StudySettings;
  readonly repo: StudySessionRepository;
  readonly ledger: LedgerRepository;
  readonly blobs: LocalBlobStore;
  readonly evidence: BlobEvidenceStore;
  readonly blobDir: string;
  readonly verifier: ScriptedVerifier;
  readonly access: HarnessAccess;
  readonly watched: Map<string, number>;
  readonly store: StudySessionStore;
  readonly trail: AuditTrail;
  readonly open: OpenStudySession;
  readonly heartbeat: RecordHeartbeat;
  readonly capture: SubmitCapture;
  readonly answer: AnswerPrompt;
  readonly close: CloseStudySession;
  readonly sweep: SweepStudySessions;
  /** A trainee with one face reference, and a lesson of `duration` seconds they may study. */
  newTrainee(opts?: { duration?: number; references?: number[][] }): { user: AuthUser; traineeId: string; programId: string; lessonId: string };
  stop(): Promise<void>;
}

export async function studyMedium(name: string, config: Partial<StudyConfig> = {}, seed = 1): Promise<StudyMedium> {
  const db = await testDatabase(name);
  const conn = await mongoose.createConnection(db.uri, { dbName: db.dbName }).asPromise();
  const repo = new StudySessionRepository(
    conn.model(StudySessionDoc.name, StudySessionSchema),
    conn.model(StudyCaptureDoc.name, StudyCaptureSchema),
    conn.model(StudyRefusalDoc.name, StudyRefusalSchema),
  );
  await repo.onModuleInit();
  const ledger = new LedgerRepository(conn.model(LedgerEntryDoc.name, LedgerEntrySchema));
  await ledger.onModuleInit();
  const blobDir = await mkdtemp(join(tmpdir(), `study-blobs-${name}-`));
  const blobs = new LocalBlobStore(blobDir);
  const evidence = new BlobEvidenceStore(blobs);
  const clock = new ManualClock();
  const evidenceRepo = new EvidenceRecordRepository(conn.model(EvidenceRecordDoc.name, EvidenceRecordSchema));
  await evidenceRepo.onModuleInit();
  const settings = studySettingsFrom({ ...DEFAULT_STUDY_CONFIG, ...config }, seededRandom(seed));
  const verifier = new ScriptedVerifier();
  const access = new HarnessAccess();
  /** Watch factors by trainee id, as oversight's watch list would answer. */
  const watched = new Map<string, number>();
  const watch: StudyWatch = { factorFor: async (subject) => watched.get(subject.traineeId) ?? 1 };
  const trail = new AuditTrail(conn, { writer: 'test', partitions: 4, clock });
  await trail.init();
  const store = new StudySessionStore(repo, ledger, trail, settings, clock);
  return {
    db,
    conn,
    clock,
    settings,
    repo,
    ledger,
    blobs,
    evidence,
    blobDir,
    verifier,
    access,
    watched,
    store,
    trail,
    open: new OpenStudySession(store, repo, ledger, trail, access, settings, clock, watch),
    heartbeat: new RecordHeartbeat(store, repo, settings, clock),
    capture: new SubmitCapture(store, repo, verifier, evidence, new EvidenceRecords(evidenceRepo, trail, blobs, DEFAULT_EVIDENCE_SETTINGS, clock), trail, settings, clock),
    answer: new AnswerPrompt(store, settings),
    close: new CloseStudySession(store),
    sweep: new SweepStudySessions(store, repo, settings, clock),
    newTrainee(opts = {}) {
      const user: AuthUser = { id: oid(), role: 'trainee', organisationId: oid(), regionCode: '230702', sessionId: oid() };
      const owner = { userId: user.id, traineeId: oid(), programId: oid(), institutionId: oid(), regionCode: '230702' };
      const lessonId = oid();
      access.lessons.set(lessonId, { courseId: oid(), duration: opts.duration ?? 600 });
      access.trainees.set(user.id, { user, owner, references: opts.references ?? [[0.1, 0.2]] });
      return { user, traineeId: owner.traineeId, programId: owner.programId, lessonId };
    },
    async stop() {
      await conn.close();
      await db.stop();
      await rm(blobDir, { recursive: true, force: true });
    },
  };
}

/** A JPEG-looking capture (the verifier is scripted, so only the bytes' identity matters). */
export function fakeJpeg(tag: number): Buffer {
  return Buffer.from([0xff, 0xd8, 0xff, 0xe0, tag & 0xff, (tag >> 8) & 0xff, 1, 2, 3, 4, 5, 6]);
}

/** An open session past its session-start check, with a player that reports like the console does. */
export async function studying(m: StudyMedium, t: ReturnType<StudyMedium['newTrainee']>) {
  const { view } = await m.open.execute({ user: t.user, lessonId: t.lessonId, device: 'medium-spec' });
  let seq = view.nextSeq;
  let position = 0;
  const player = {
    sessionId: view.sessionId,
    view,
    get position() {
      return position;
    },
    /** Plays `seconds` of video in as many seconds of the test's clock, then reports. */
    async play(seconds: number, flags: { playing?: boolean; visible?: boolean; playbackRate?: number } = {}) {
      m.clock.advanceSeconds(seconds);
      position += seconds * (flags.playbackRate ?? 1);
      return m.heartbeat.execute({
        user: t.user,
        sessionId: view.sessionId,
        heartbeat: { seq: seq++, position, playing: flags.playing ?? true, visible: flags.visible ?? true, playbackRate: flags.playbackRate ?? 1, sentAt: m.clock.now() },
      });
    },
    async capture(checkId: string, image = fakeJpeg(seq)) {
      return m.capture.execute({ user: t.user, sessionId: view.sessionId, checkId, image });
    },
  };
  await player.play(0);
  const start = await player.capture(view.checks.face!.id, fakeJpeg(0));
  if (start.ack.check.status !== 'passed') throw new Error(`harness: session-start check did not pass: ${start.ack.check.status}`);
  return player;
}

/** The stable code an action fails with, or undefined when it succeeds (anything but an AppError is rethrown). */
export function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  return p.then(
    () => undefined,
    (e: unknown) => (e instanceof AppError ? e.code : Promise.reject(e)),
  );
}

/** Seconds the trainee holds in the ledger. */
export async function ledgerSeconds(m: StudyMedium, traineeId: string): Promise<number> {
  return (await m.ledger.listForTrainee(EVERYONE, traineeId)).reduce((n, e) => n + e.seconds, 0);
}
