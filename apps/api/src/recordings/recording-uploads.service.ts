import { Inject, Injectable } from '@nestjs/common';
import * as path from 'node:path';
import { SocketAuthenticator } from '@app/identity';
import { AppConfig, AppConfigToken } from '@app/platform';
import { recordingError, SessionRecordings } from '@app/recordings';
import { TusEndpoint } from '../media/tus-endpoint';
import { TusRouteService } from '../media/tus-route';

export const RECORDING_UPLOADS_PATH = '/api/v1/recording-uploads';
export const VERDICT_HEADER = 'Recording-Passed';
export const ACCEPTED_HEADER = 'Session-Accepted';

/**
 * Session recordings over tus (issue 19): an institution uploads for its own sessions only — the
 * session is checked in its scope at creation, and every later request on an upload must come from
 * the institution that created it. The finished file goes to SessionRecordings.fileFinished with the
 * SHA-256 computed as its bytes arrived: kept as evidence, checked, and the session accepted when the
 * recording passes.
 */
@Injectable()
export class RecordingUploadsService extends TusRouteService {
  protected readonly endpoint: TusEndpoint;

  constructor(sockets: SocketAuthenticator, recordings: SessionRecordings, @Inject(AppConfigToken) config: AppConfig) {
    super();
    this.endpoint = new TusEndpoint(sockets, {
      logger: 'RecordingUploads',
      directory: path.join(config.media.workDir, 'recording-uploads'),
      path: RECORDING_UPLOADS_PATH,
      maxSize: config.evidence.maxRecordingBytes,
      roles: ['institution'],
      exposedHeaders: [VERDICT_HEADER, ACCEPTED_HEADER],
      unavailable: () => recordingError('RECORDING_UPLOADS_UNAVAILABLE'),
      admit: (user, upload) => {
        if (!user.organisationId || upload.metadata?.institutionId !== user.organisationId) throw recordingError('RECORDING_FILE_NOT_FOUND');
      },
      create: async (user, upload) => {
        const sessionId = upload.metadata?.sessionId;
        if (!sessionId) throw recordingError('RECORDING_SESSION_REQUIRED');
        const session = await recordings.sessionFor(user, sessionId);
        // Set by the server, never taken from the client: who may resume this upload.
        return { ...upload.metadata, institutionId: session.institutionId };
      },
      finish: async (user, { upload, path: filePath, sha256 }) => {
        const outcome = await recordings.fileFinished(user, {
          sessionId: upload.metadata!.sessionId!,
          path: filePath,
          fileName: upload.metadata?.filename || 'recording.mp4',
          sha256,
        });
        return { [VERDICT_HEADER]: String(outcome.verdict.passed), [ACCEPTED_HEADER]: String(outcome.accepted) };
      },
    });
  }
}
