import { UseFilters, UseGuards, UsePipes } from '@nestjs/common';
import { ConnectedSocket, MessageBody, OnGatewayConnection, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import type { Socket } from 'socket.io';
import { AuthGuard, AuthUser, CurrentUser, Roles, SocketAuthenticator } from '@app/identity';
import { AppErrorFilter, SOCKET_ERROR_EVENT, toAppError } from '@app/platform';
import {
  AnswerPrompt,
  CaptureAck,
  CloseStudySession,
  OpenStudySession,
  RecordHeartbeat,
  SubmitCapture,
  CheckIssuedEvent,
  HeartbeatAck,
  PromptAck,
  SessionClosedView,
  SessionEndedEvent,
  STUDY_NAMESPACE,
  StudyEvents,
  StudySessionView,
  studyError,
} from '@app/study';
import { CaptureDto, HeartbeatDto, OpenSessionDto, PromptAnswerDto, SessionRefDto } from './study-socket.dto';
import { StudyPayloadPipe } from './study-payload.pipe';

const room = (sessionId: string) => `study:${sessionId}`;

/**
 * The study player's channel: trainees connect to `/study` with `{ auth: { token } }`. Every event
 * is authorised again (account and login session still valid) by the AuthGuard; failures come back
 * as the ack `{ error: { code, message, status } }`.
 */
@Roles('trainee')
@UseGuards(AuthGuard)
@UseFilters(AppErrorFilter)
@UsePipes(StudyPayloadPipe)
@WebSocketGateway({ namespace: STUDY_NAMESPACE, serveClient: false, cors: false })
export class StudyGateway implements OnGatewayConnection {
  constructor(
    private readonly sockets: SocketAuthenticator,
    private readonly openSession: OpenStudySession,
    private readonly recordHeartbeat: RecordHeartbeat,
    private readonly submitCapture: SubmitCapture,
    private readonly answerPrompt: AnswerPrompt,
    private readonly closeSession: CloseStudySession,
  ) {}

  /** A bad handshake is refused at once rather than on the first event. */
  async handleConnection(client: Socket): Promise<void> {
    // Stamp every message as it comes off the wire, before guards and validation: see RecordHeartbeatCommand.receivedAt.
    client.use((packet, next) => {
      ((client.data as { receivedAt?: Record<string, number> }).receivedAt ??= {})[String(packet[0])] = Date.now();
      next();
    });
    try {
      await this.sockets.authenticateSocket(client, ['trainee']);
    } catch (e) {
      const error = toAppError(e);
      client.emit(SOCKET_ERROR_EVENT, { ...error.toBody(), status: error.status });
      client.disconnect(true);
    }
  }

  @SubscribeMessage(StudyEvents.open)
  async open(@CurrentUser() user: AuthUser, @ConnectedSocket() client: Socket, @MessageBody() body: OpenSessionDto): Promise<StudySessionView> {
    const { fingerprint, ...open } = body;
    const from = { address: client.handshake.address, userAgent: String(client.handshake.headers['user-agent'] ?? ''), fingerprint };
    const { view, superseded } = await this.openSession.execute({ user, ...open, client: from });
    for (const old of superseded) {
      const ended: SessionEndedEvent = { sessionId: old, status: 'superseded', code: 'SESSION_SUPERSEDED', message: studyError('SESSION_SUPERSEDED').message };
      // Clients of the old session served by this process hear it now; others on their next message.
      client.to(room(old)).emit(StudyEvents.ended, ended);
      await client.leave(room(old));
    }
    await client.join(room(view.sessionId));
    return view;
  }

  @SubscribeMessage(StudyEvents.heartbeat)
  async heartbeat(@CurrentUser() user: AuthUser, @ConnectedSocket() client: Socket, @MessageBody() body: HeartbeatDto): Promise<HeartbeatAck> {
    const { sessionId, ...hb } = body;
    const receivedAt = (client.data as { receivedAt?: Record<string, number> }).receivedAt?.[StudyEvents.heartbeat];
    const { ack, issued, ended } = await this.recordHeartbeat.execute({ user, sessionId, heartbeat: hb, receivedAt });
    if (ended) client.emit(StudyEvents.ended, ended);
    for (const kind of issued) {
      const check = kind === 'face' ? ack.checks.face : ack.checks.prompt;
      if (check) client.emit(StudyEvents.check, { sessionId, check } satisfies CheckIssuedEvent);
    }
    return ack;
  }

  @SubscribeMessage(StudyEvents.capture)
  async capture(@CurrentUser() user: AuthUser, @ConnectedSocket() client: Socket, @MessageBody() body: CaptureDto): Promise<CaptureAck> {
    const image = new Uint8Array(body.image.buffer, body.image.byteOffset, body.image.byteLength);
    const { ack, ended } = await this.submitCapture.execute({ user, sessionId: body.sessionId, checkId: body.checkId, image });
    // A completed session is settled by the client's own close (it shows what was credited); a terminated one is told at once.
    if (ended && ended.status !== 'completed') client.emit(StudyEvents.ended, ended);
    return ack;
  }

  @SubscribeMessage(StudyEvents.answer)
  answer(@CurrentUser() user: AuthUser, @MessageBody() body: PromptAnswerDto): Promise<PromptAck> {
    return this.answerPrompt.execute({ user, sessionId: body.sessionId, promptId: body.promptId, answer: body.answer });
  }

  @SubscribeMessage(StudyEvents.close)
  async close(@CurrentUser() user: AuthUser, @ConnectedSocket() client: Socket, @MessageBody() body: SessionRefDto): Promise<SessionClosedView> {
    const closed = await this.closeSession.execute({ user, sessionId: body.sessionId });
    await client.leave(room(body.sessionId));
    return closed;
  }
}
