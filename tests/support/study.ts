import { execFile } from 'node:child_process';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { io, Socket } from 'socket.io-client';
import {
  CaptureAck,
  HeartbeatAck,
  HeartbeatRequest,
  PromptAck,
  SessionClosedView,
  SessionEndedEvent,
  STUDY_NAMESPACE,
  StudyEvents,
  StudySessionView,
} from '@app/study';
import { waitForJob } from '../../libs/media/test-support/jobs';
import { tusUpload } from '../../libs/media/test-support/tus-client';
import { activate, call } from './auth-client';

const run = promisify(execFile);

export const FACES_DIR = path.resolve(__dirname, '../../../shared/fixtures/faces');
export const CLIP = path.resolve(__dirname, '../../../shared/fixtures/video/short-hamilton-clip.mp4');

export const face = (name: string) => fs.readFile(path.join(FACES_DIR, name));

const framesSent = new Map<string, number>();

/**
 * A fresh webcam frame of the person in a fixture photo: the photo cropped at the next of 36
 * offsets (2 % of its size apart), as a live camera sees someone who moves a little. The server
 * refuses a frame it has seen from the trainee before as a replay, so every capture of a passing
 * check needs its own (measured: the frames of one photo are ≥ 17 perceptual-hash bits apart,
 * the replay threshold is 4).
 */
export async function liveFrame(name: string): Promise<Buffer> {
  const k = framesSent.get(name) ?? 0;
  if (k >= 36) throw new Error(`liveFrame: no more distinct frames of ${name}`);
  framesSent.set(name, k + 1);
  const upright = await sharp(await face(name)).rotate().toBuffer({ resolveWithObject: true });
  const { width, height } = upright.info;
  return sharp(upright.data)
    .extract({ left: Math.round((k % 6) * width * 0.02), top: Math.round(Math.floor(k / 6) * height * 0.02), width: Math.round(width * 0.88), height: Math.round(height * 0.88) })
    .jpeg({ quality: 85 })
    .toBuffer();
}

/**
 * API settings for study tests: heartbeats every second, random face checks and prompts an hour
 * away unless a test brings them closer, the face engine loading at start.
 */
export function studyEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    STUDY_HEARTBEAT_SECONDS: '1',
    STUDY_FACE_INTERVAL_MIN_SECONDS: '3600',
    STUDY_FACE_INTERVAL_MAX_SECONDS: '3600',
    STUDY_PROMPT_INTERVAL_MIN_SECONDS: '3600',
    STUDY_PROMPT_INTERVAL_MAX_SECONDS: '3600',
    FACE_ENGINE_START: 'eager',
    ...overrides,
  };
}

export interface StudyFixture {
  lessonId: string;
  /** All lessons made (the first is `lessonId`), for tests that need a fresh lesson per case. */
  lessonIds: string[];
  courseId: string;
  programId: string;
  traineeId: string;
  tokens: { admin: string; trainee: string; institution: string; auditor: string };
}

/** A small H.264/AAC test video of `seconds` (ffmpeg lavfi), for lessons longer than the fixture clip. */
export async function makeTestVideo(dir: string, seconds: number): Promise<string> {
  const file = path.join(dir, `lesson-${seconds}s.mp4`);
  await run('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc=size=320x240:rate=10:duration=${seconds}`, '-f', 'lavfi', '-i', `sine=duration=${seconds}`,
    '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '20', '-c:a', 'aac', '-shortest', file]);
  return file;
}

/**
 * Published lessons (the 10 s fixture clip unless told) in a course for the demo trainee (伊春, 矿山,
 * 班组长), the trainee's consent given and a face enrolled by the institution from `reference`.
 */
export async function prepareStudy(
  base: string,
  passwords: Map<string, string>,
  opts: { reference?: string; video?: string; lessons?: number; /** One lesson per video, instead of `video` × `lessons`. */ videos?: string[] } = {},
): Promise<StudyFixture> {
  const referenceImage = opts.reference ?? 'obama-1.jpg';
  const login = async (u: string) => (await activate(base, u, passwords.get(u)!)).accessToken;
  const tokens = { admin: await login('admin'), trainee: await login('trainee'), institution: await login('yc-institution'), auditor: await login('yc-hrss') };
  const programId = (await call(base, 'GET', '/api/v1/programs')).body.items.find((p: { code: string }) => p.code === 'YC-2025-MINING').id;
  const course = await call(base, 'POST', '/api/v1/courses', {
    token: tokens.admin,
    body: { programId, code: `STUDY-${Date.now()}`, title: '在线学习测试课程', audiences: [{ industry: '矿山', category: 'team_leader', requirement: 'required' }] },
  });
  if (course.status !== 201) throw new Error(JSON.stringify(course.body));
  const videos = opts.videos ?? Array.from({ length: opts.lessons ?? 1 }, () => opts.video ?? CLIP);
  const lessonIds: string[] = [];
  for (let i = 0; i < videos.length; i++) {
    const video = await fs.readFile(videos[i]);
    const lessonId = (await call(base, 'POST', `/api/v1/courses/${course.body.id}/lessons`, { token: tokens.admin, body: { title: `第${i + 1}课` } })).body.id;
    const up = await tusUpload(base, tokens.admin, video, { lessonId, filename: 'lesson.mp4' });
    const job = await waitForJob(base, tokens.admin, up.jobId!);
    if (job.status !== 'succeeded') throw new Error(`packaging failed: ${JSON.stringify(job)}`);
    lessonIds.push(lessonId);
  }

  const mine = await call(base, 'GET', '/api/v1/trainees', { token: tokens.trainee });
  const traineeId = mine.body.items.find((t: { programId: string }) => t.programId === programId).id;
  const text = await call(base, 'GET', '/api/v1/consents/face-text', { token: tokens.trainee });
  const consent = await call(base, 'POST', `/api/v1/trainees/${traineeId}/face-consent`, { token: tokens.trainee, body: { textVersion: text.body.version } });
  if (consent.status !== 200) throw new Error(JSON.stringify(consent.body));
  const form = new FormData();
  form.set('image', new Blob([new Uint8Array(await face(referenceImage))], { type: 'image/jpeg' }), 'photo.jpg');
  const enrolled = await fetch(`${base}/api/v1/trainees/${traineeId}/face-references`, {
    method: 'POST',
    headers: { authorization: `Bearer ${tokens.institution}` },
    body: form,
    signal: AbortSignal.timeout(180_000),
  });
  if (enrolled.status !== 201) throw new Error(`enrolment: ${enrolled.status} ${await enrolled.text()}`);
  return { lessonId: lessonIds[0], lessonIds, courseId: course.body.id, programId, traineeId, tokens };
}

type Ack<T> = T | { error: { code: string; message: string; status: number } };

export function isError<T>(a: Ack<T>): a is { error: { code: string; message: string; status: number } } {
  return typeof a === 'object' && a !== null && 'error' in a;
}

/** A scripted player: the protocol's events as awaitable calls, and what the server pushed. */
export class StudyClient {
  readonly ended: SessionEndedEvent[] = [];
  readonly pushed: unknown[] = [];
  private constructor(readonly socket: Socket) {
    socket.on(StudyEvents.ended, (e: SessionEndedEvent) => this.ended.push(e));
    socket.on(StudyEvents.check, (e: unknown) => this.pushed.push(e));
  }

  static async connect(base: string, token: string, opts: { reconnection?: boolean } = {}): Promise<StudyClient> {
    const socket = io(base + STUDY_NAMESPACE, { auth: { token }, transports: ['websocket'], reconnection: opts.reconnection ?? false, timeout: 5000 });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    return new StudyClient(socket);
  }

  private emit<T>(event: string, body: unknown, timeoutMs = 60_000): Promise<Ack<T>> {
    return this.socket.timeout(timeoutMs).emitWithAck(event, body) as Promise<Ack<T>>;
  }

  open(lessonId: string, resumeSessionId?: string) {
    return this.emit<StudySessionView>(StudyEvents.open, { lessonId, resumeSessionId, device: 'jest' });
  }

  heartbeat(hb: HeartbeatRequest) {
    return this.emit<HeartbeatAck>(StudyEvents.heartbeat, hb);
  }

  capture(sessionId: string, checkId: string, image: Buffer) {
    return this.emit<CaptureAck>(StudyEvents.capture, { sessionId, checkId, image }, 180_000);
  }

  answer(sessionId: string, promptId: string, answer: string) {
    return this.emit<PromptAck>(StudyEvents.answer, { sessionId, promptId, answer });
  }

  close(sessionId: string) {
    return this.emit<SessionClosedView>(StudyEvents.close, { sessionId });
  }

  disconnect(): void {
    this.socket.close();
  }
}

/** Unwraps an ack, failing the test with the server's error when there is one. */
export function ok<T>(a: Ack<T>): T {
  if (isError(a)) throw new Error(`study error ${a.error.code}: ${a.error.message}`);
  return a;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
