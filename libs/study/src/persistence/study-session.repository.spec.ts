// Medium test: the real repository against a real database (embedded, or MONGODB_URI when set).
import mongoose, { Connection, Types } from 'mongoose';
import { systemScope } from '@app/identity';
import { testDatabase, TestDatabase } from '../../../../tests/support/db';
import { scopes } from '../../../../tests/support/scopes';
import { checkSettings } from '../checks/check-settings';
import type { CaptureOutcome } from '../checks/check-state';
import { creditSettings } from '../crediting/credit-settings';
import { randomInt, seededRandom } from '../random/random';
import { applyAnswer, applyCapture, applyHeartbeat, endSession, finishFlush, openSession, SessionEnv } from '../session/session-rules';
import type { StudySession } from '../session/study-session';
import { StudyCaptureDoc, StudyCaptureSchema, StudyRefusalDoc, StudyRefusalSchema } from './study-evidence.schema';
import { SessionVersionConflict, StudySessionRepository } from './study-session.repository';
import { StudySessionDoc, StudySessionSchema } from './study-session.schema';

const ALL = scopes.admin();
const HOUSEKEEPING = systemScope('repository spec: every tenant');

let db: TestDatabase;
let conn: Connection;
let repo: StudySessionRepository;

beforeAll(async () => {
  db = await testDatabase('study-sessions');
  conn = await mongoose.createConnection(db.uri, { dbName: db.dbName }).asPromise();
  repo = new StudySessionRepository(
    conn.model(StudySessionDoc.name, StudySessionSchema),
    conn.model(StudyCaptureDoc.name, StudyCaptureSchema),
    conn.model(StudyRefusalDoc.name, StudyRefusalSchema),
  );
  await repo.onModuleInit();
});

afterAll(async () => {
  await conn?.close();
  await db?.stop();
});

const T0 = 1_800_000_000_000;
const id = () => new Types.ObjectId().toHexString();

function env(seed: number): SessionEnv {
  return {
    credit: creditSettings({ heartbeatSeconds: 5, jitterSeconds: 1, seekToleranceSeconds: 1 }),
    // Frequent checks and prompts, so the walk sets and clears every optional part of a session.
    checks: checkSettings({ faceIntervalMinSeconds: 20, faceIntervalMaxSeconds: 40, faceWindowSeconds: 10, promptIntervalMinSeconds: 15, promptIntervalMaxSeconds: 30, promptWindowSeconds: 10 }),
    random: seededRandom(seed),
  };
}

function newSession(e: SessionEnv, lessonDuration = 400): StudySession {
  const owner = { userId: id(), traineeId: id(), programId: id(), institutionId: id(), regionCode: '230702' };
  return openSession(
    { id: StudySessionRepository.newId(), ...owner, lessonId: id(), courseId: id(), minutesPerHour: 45, lessonDuration, credited: [[0, 30]], base: { programSeconds: 30, onlineSeconds: 30 }, device: 'test' },
    T0,
    e,
  );
}

describe('StudySessionRepository', () => {
  it('writes each change as a difference that reads back exactly as the saved state (seeded walks through checks, prompts, flushes and the end)', async () => {
    for (const seed of [1, 2, 3, 4]) {
      const e = env(seed);
      const rnd = seededRandom(seed * 7919);
      let s = newSession(e);
      await repo.insert(s);
      expect(await repo.findById(ALL, s.id)).toEqual(s);
      let t = 0;
      let seq = 0;
      let position = 0;
      let sawFlushing = false;
      let sawFace = false;
      let sawPrompt = false;
      for (let step = 0; step < 120 && s.status === 'active'; step++) {
        t += 5;
        const now = T0 + t * 1000;
        let next: StudySession;
        const roll = randomInt(rnd, 0, 9);
        if (s.flushing) {
          sawFlushing = true;
          expect((await repo.listFlushing(HOUSEKEEPING)).map((x) => x.id)).toContain(s.id);
          next = finishFlush(s);
        } else if (s.faceCheck?.status === 'outstanding' && roll < 6) {
          sawFace = true;
          const outcome: CaptureOutcome = roll < 4 ? 'match' : roll === 4 ? 'mismatch' : 'bad-frame';
          next = applyCapture(s, s.faceCheck.no, outcome, id(), now, e).session;
        } else if (s.prompt?.status === 'outstanding' && roll < 7) {
          sawPrompt = true;
          next = applyAnswer(s, s.prompt.no, roll < 5 ? s.prompt.answer : 'wrong', now, e).session;
        } else if (step === 110) {
          next = endSession(s, 'CLOSED', now, e);
        } else {
          position += roll === 9 ? 0 : 5;
          next = applyHeartbeat(s, { seq: seq++, position, playing: roll !== 9, visible: true, playbackRate: 1, sentAt: now }, now, e).session;
        }
        if (next === s) continue;
        const saved = await repo.save(next, s);
        expect(saved.version).toBe(s.version + 1);
        expect(await repo.findById(ALL, s.id)).toEqual(saved);
        s = saved;
      }
      expect({ seed, sawFlushing, sawFace, sawPrompt }).toEqual({ seed, sawFlushing: true, sawFace: true, sawPrompt: true });
      expect((await repo.listFlushing(HOUSEKEEPING)).map((x) => x.id)).not.toContain(s.id);
    }
  });

  it('refuses a save over a stale read and leaves the stored session as it was', async () => {
    const e = env(9);
    const s = newSession(e);
    await repo.insert(s);
    const first = await repo.save({ ...s, lastSeenAt: T0 + 1000 }, s);
    await expect(repo.save({ ...s, lastSeenAt: T0 + 2000 }, s)).rejects.toBeInstanceOf(SessionVersionConflict);
    expect(await repo.findById(ALL, s.id)).toEqual(first);
  });

  it('removes a field the new state no longer has, at the top level of the state and among the columns', async () => {
    const e = env(11);
    const s = newSession(e);
    await repo.insert(s);
    expect(s.faceCheck).toBeDefined();
    const { faceCheck: _gone, device: _device, ...rest } = s;
    const saved = await repo.save(rest as StudySession, s);
    const back = await repo.findById(ALL, s.id);
    expect(back).toEqual(saved);
    expect(back).not.toHaveProperty('faceCheck');
    expect(back?.device).toBeUndefined();
    // A member left undefined deeper down is not stored at all (not as null).
    const nested = await repo.save({ ...saved, credit: { ...saved.credit, last: undefined } }, saved);
    const raw = await conn.collection('study_sessions').findOne({ _id: new Types.ObjectId(s.id) });
    expect(raw?.state.credit).not.toHaveProperty('last');
    expect(await repo.findById(ALL, s.id)).toEqual(nested);
  });
});
