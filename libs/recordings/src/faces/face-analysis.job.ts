import { Inject, Logger } from '@nestjs/common';
import { createWriteStream } from 'node:fs';
import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import sharp from 'sharp';
import { AuditActor, AuditTrail } from '@app/audit';
import { EvidenceSettings, EvidenceSettingsToken, EvidenceStore } from '@app/evidence';
import { distanceToReferences, FaceEngineProvider, FaceImageError, hashDistance, perceptualHash } from '@app/face';
import { systemScope } from '@app/identity';
import { MediaRunner } from '@app/media';
import { AttendanceRepository, OfflineSettings, OfflineSettingsToken, RosterGallery, RosterRepository, SessionRepository } from '@app/offline';
import { JobContext, JobHandler, JobHandlerOf, JobOutcome, JobResult } from '@app/platform';
import { RecordingRepository } from '../persistence/recording.repository';
import type { RecordingFile, SessionRecording } from '../recording.entity';
import { faceReport, framesReused, SampledFace } from '../rules/face-report';
import { cropOf, frameTime, sampleFramesArgs } from './frame-sampling';

const ACTOR: AuditActor = { kind: 'system', reason: '录像人脸比对任务 recording face analysis' };
const SCOPE = systemScope('录像人脸比对：读取课次、签到记录与花名册学员的人脸底库');

interface Sampled {
  frames: number;
  faces: SampledFace[];
  hashes: string[];
}

/**
 * The `recordings.faces` job (issue 19 item 3): each file of a session's recording is sampled
 * (one key frame every EVIDENCE_FACE_SAMPLE_SECONDS), every face detected in a frame is cropped
 * and described alone, and matched 1:N against the session's signed-in trainees only; the report
 * (seen / not seen, distinct faces, flags) and the frames' perceptual hashes (reuse across
 * sessions) are stored on the recording. Flags never block acceptance: they go to auditors.
 */
@JobHandler('recordings.faces')
export class FaceAnalysisJob implements JobHandlerOf<'recordings.faces'> {
  private readonly logger = new Logger('RecordingFaces');

  constructor(
    private readonly repo: RecordingRepository,
    private readonly sessions: SessionRepository,
    private readonly attendance: AttendanceRepository,
    private readonly roster: RosterRepository,
    private readonly gallery: RosterGallery,
    private readonly evidence: EvidenceStore,
    private readonly face: FaceEngineProvider,
    private readonly runner: MediaRunner,
    private readonly trail: AuditTrail,
    @Inject(EvidenceSettingsToken) private readonly settings: EvidenceSettings,
    @Inject(OfflineSettingsToken) private readonly offline: OfflineSettings,
  ) {}

  async run({ sessionId }: { sessionId: string }, ctx: JobContext<'recordings.faces'>): Promise<JobOutcome<'recordings.faces'>> {
    const [recording, session] = [await this.repo.findBySessionUnscoped(sessionId), await this.sessions.findById(SCOPE, sessionId)];
    if (!recording || !session) return JobResult.skipped('课次或录像不存在');
    const signedIn = [...new Set((await this.attendance.listBySession(sessionId)).filter((a) => a.signInAt).map((a) => a.traineeId))];
    const names = new Map((await this.roster.listByClass(session.classId)).map((e) => [e.traineeId, e.name]));
    // Candidates are the session's signed-in trainees only: the question is whether they were there.
    const candidates = (await this.gallery.facesOf(session.classId)).filter((m) => signedIn.includes(m.traineeId));
    const sampled = await this.sample(recording, candidates, ctx);
    const byFrames = (await this.repo.frameHashesOfOthers(sessionId, session.institutionId)).filter((o) => framesReused(sampled.hashes, o.frameHashes, hashDistance)).map((o) => o.sessionId);
    const reusedFrom: SessionRecording['reusedFrom'] = [...recording.reusedFrom, ...byFrames.filter((id) => !recording.reusedFrom.some((r) => r.sessionId === id)).map((id) => ({ sessionId: id, by: 'frames' as const }))];
    const engine = await this.face.engine();
    const report = faceReport(
      sampled.frames,
      sampled.faces,
      signedIn.map((traineeId) => ({ traineeId, name: names.get(traineeId) ?? '' })),
      { threshold: engine.threshold, margin: this.offline.identifyMargin, minSeenRatio: this.settings.minSeenRatio },
      reusedFrom.map((r) => r.sessionId),
    );
    await this.trail.commit(ACTOR, async (tx) => {
      await this.repo.setFaces(sessionId, report, sampled.hashes, reusedFrom);
      tx.record({
        action: 'session-recording.faces',
        target: { type: 'offline-session', id: sessionId },
        tenant: { institutionId: session.institutionId, regionCode: session.regionCode },
        after: { sampledFrames: report.sampledFrames, facesDetected: report.facesDetected, distinctFaces: report.distinctFaces, seen: report.trainees.filter((t) => t.seen).length, signedIn: signedIn.length, flags: report.flags.map((f) => f.code) },
      });
    });
    for (const other of byFrames) await this.repo.addReuse(other, { sessionId, by: 'frames' });
    this.logger.log(`课次 ${sessionId} 录像人脸比对完成：${report.sampledFrames} 帧，${report.facesDetected} 张人脸`);
    return JobResult.success({ sampledFrames: report.sampledFrames, facesDetected: report.facesDetected, flags: report.flags.map((f) => f.code) });
  }

  /** Every video file in upload order, one after the other on the recording's clock. */
  private async sample(recording: SessionRecording, candidates: { traineeId: string; descriptors: number[][] }[], ctx: JobContext<'recordings.faces'>): Promise<Sampled> {
    const out: Sampled = { frames: 0, faces: [], hashes: [] };
    const videos = recording.files.filter((f) => f.probe.isVideo);
    const total = videos.reduce((s, f) => s + f.probe.durationSeconds, 0) || 1;
    const dir = await fs.mkdtemp(path.join(tmpdir(), 'recording-faces-'));
    let offset = 0;
    try {
      for (const [i, file] of videos.entries()) {
        const frames = await this.framesOf(file, path.join(dir, String(i)), ctx, (done) => ctx.progress(Math.floor(((offset + done) / total) * 90)));
        for (const [n, jpg] of frames.entries()) {
          out.frames++;
          const t = offset + frameTime(n + 1, this.settings.faceSampleSeconds);
          const hash = await perceptualHash(jpg);
          if (hash) out.hashes.push(hash);
          for (const descriptor of await this.describeFaces(jpg)) out.faces.push({ t, descriptor, candidates: candidates.map((m) => ({ traineeId: m.traineeId, distance: distanceToReferences(descriptor, m.descriptors) })) });
        }
        offset += file.probe.durationSeconds;
      }
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
    return out;
  }

  /** The file's sampled frames: the evidence copied out (ffmpeg needs to seek, an mp4's index may be at its end), sampled, read back. */
  private async framesOf(file: RecordingFile, dir: string, ctx: JobContext<'recordings.faces'>, progress: (seconds: number) => Promise<boolean>): Promise<Buffer[]> {
    const frameDir = path.join(dir, 'frames');
    await fs.mkdir(frameDir, { recursive: true });
    const src = path.join(dir, 'source');
    await pipeline(await this.evidence.open({ key: file.key, sha256: file.sha256, size: file.size }), createWriteStream(src));
    const r = await this.runner.ffmpeg(sampleFramesArgs(src, frameDir, this.settings.faceSampleSeconds), file.probe.durationSeconds, (p) => void progress(p.outTimeSeconds), ctx.signal);
    if (r.exitCode !== 0) throw new Error(`抽帧失败 (ffmpeg ${r.exitCode}): ${r.stderrTail.slice(-500)}`);
    const names = (await fs.readdir(frameDir)).sort();
    return Promise.all(names.map((n) => fs.readFile(path.join(frameDir, n))));
  }

  /** Detect every face of a frame, then describe each from its own crop (the engine describes a frame only when it holds one face). */
  private async describeFaces(jpg: Buffer): Promise<number[][]> {
    const engine = await this.face.engine();
    try {
      const frame = await engine.analyse(jpg, false);
      const out: number[][] = [];
      for (const f of frame.faces) {
        const crop = await sharp(jpg).extract(cropOf(f.box, frame)).jpeg({ quality: 92 }).toBuffer();
        const d = (await engine.analyse(crop, true)).descriptor;
        if (d) out.push(Array.from(d));
      }
      return out;
    } catch (e) {
      if (e instanceof FaceImageError) return [];
      throw e;
    }
  }
}
