/**
 * The study benchmark's ceiling: a bare socket.io server (the repo's socket.io, as the API uses it)
 * on the same namespace and events, acknowledging every heartbeat with an ack of the API's size —
 * no authentication beyond "a token is present", no state, no database. Whatever the API spends
 * per heartbeat above this is the cost of crediting.
 *
 * Run as a child process: PORT=<port> ECHO_ACK_TEMPLATE=<json> ECHO_HEARTBEAT_SECONDS=15 node -r @swc-node/register bench/support/study-echo-server.ts
 * Prints `listening <port>` once ready; exits on SIGTERM or when its parent goes away.
 */
import { createServer } from 'node:http';
import { Server } from 'socket.io';
import { STUDY_NAMESPACE, StudyEvents } from '../../libs/study/src/protocol/study-protocol';

type Ack = (reply: unknown) => void;

/** Heartbeat ack shaped like the API's; the bench passes a real one when it has it. */
export const SYNTHETIC_ACK = {
  sessionId: '000000000000000000000000',
  seq: 0,
  accepted: true,
  credited: 15,
  refusals: [],
  furthestPosition: 15,
  totals: {
    lessonCreditedSeconds: 15,
    lessonSeconds: 1800,
    sessionCreditedSeconds: 15,
    heldSeconds: 0,
    programOnlineSeconds: 15,
    programSeconds: 15,
    programHours: 0,
    minutesPerHour: 45,
  },
  checks: {},
  lessonComplete: false,
};

function main(): void {
  const port = Number(process.env.PORT);
  const template = process.env.ECHO_ACK_TEMPLATE ? (JSON.parse(process.env.ECHO_ACK_TEMPLATE) as Record<string, unknown>) : SYNTHETIC_ACK;
  const heartbeatSeconds = Number(process.env.ECHO_HEARTBEAT_SECONDS ?? 15);
  const http = createServer();
  // Same transport settings a Nest gateway gets by default; captures may be up to 2 MiB.
  const io = new Server(http, { serveClient: false, maxHttpBufferSize: 3 * 1024 * 1024 });
  const nsp = io.of(STUDY_NAMESPACE);
  nsp.use((socket, next) => (typeof socket.handshake.auth?.token === 'string' && socket.handshake.auth.token ? next() : next(new Error('UNAUTHENTICATED'))));
  nsp.on('connection', (socket) => {
    socket.on(StudyEvents.open, (body: { lessonId?: string }, ack: Ack) =>
      ack({ sessionId: socket.id, lessonId: body?.lessonId, nextSeq: 0, heartbeatSeconds, checks: {}, totals: template.totals }),
    );
    socket.on(StudyEvents.heartbeat, (body: { sessionId?: string; seq?: number; position?: number }, ack: Ack) =>
      ack({ ...template, sessionId: body?.sessionId, seq: body?.seq, furthestPosition: body?.position }),
    );
    socket.on(StudyEvents.close, (body: { sessionId?: string }, ack: Ack) => ack({ sessionId: body?.sessionId, status: 'closed', settledSeconds: 0, voidedSeconds: 0, message: '' }));
  });
  http.listen(port, '127.0.0.1', () => console.log(`listening ${(http.address() as { port: number }).port}`));
  const stop = () => {
    void io.close();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // Never outlive the benchmark, even if it was killed without a chance to stop us.
  process.on('disconnect', stop);
  setInterval(() => process.ppid === 1 && stop(), 2000).unref();
}

if (require.main === module) main();
