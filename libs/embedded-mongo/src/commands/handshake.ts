import { Document, Long, ObjectId, Timestamp } from 'bson';
import { hostname } from 'os';
import { Engine, ServerInfo } from '../engine';
import { lsidKey } from '../txn/sessions';
import { CommandError, ErrorCodes } from '../errors';

/** Wire version of MongoDB 7.0; driver 7 accepts 8..29 and needs ≥ 9. */
export const MAX_WIRE_VERSION = 21;
export const SERVER_VERSION = '7.0.0';

const electionId = new ObjectId('7fffffff0000000000000001');

/**
 * The hello reply of a single-node replica-set primary: setName + hosts + isWritablePrimary make
 * the driver treat us as RSPrimary (so transactions are allowed), and
 * logicalSessionTimeoutMinutes enables sessions. No topologyVersion: the driver then polls
 * instead of using exhaust/streaming hello.
 */
export function helloReply(info: ServerInfo, connectionId: number, legacy: boolean): Document {
  const me = `${info.host}:${info.port}`;
  const reply: Document = {
    helloOk: true,
    [legacy ? 'ismaster' : 'isWritablePrimary']: true,
    topologyVersion: undefined,
    maxBsonObjectSize: 16 * 1024 * 1024,
    maxMessageSizeBytes: 48_000_000,
    maxWriteBatchSize: 100_000,
    localTime: new Date(),
    logicalSessionTimeoutMinutes: 30,
    connectionId,
    minWireVersion: 0,
    maxWireVersion: MAX_WIRE_VERSION,
    readOnly: false,
    hosts: [me],
    setName: info.setName,
    setVersion: 1,
    secondary: false,
    primary: me,
    me,
    electionId,
    lastWrite: { opTime: { ts: new Timestamp({ t: Math.floor(Date.now() / 1000), i: 1 }), t: Long.fromNumber(1) }, lastWriteDate: new Date() },
    ok: 1,
  };
  delete reply.topologyVersion;
  return reply;
}

export function registerHandshake(engine: Engine): void {
  engine.register(['hello', 'isMaster', 'ismaster'], {
    handler: (ctx) => helloReply(ctx.engine.info, ctx.connectionId, ctx.name !== 'hello'),
  });
  engine.register(['ping'], { handler: () => ({ ok: 1 }) });
  engine.register(['buildInfo', 'buildinfo'], {
    handler: () => ({
      version: SERVER_VERSION,
      gitVersion: 'embedded-mongo',
      versionArray: [7, 0, 0, 0],
      bits: 64,
      debug: false,
      maxBsonObjectSize: 16 * 1024 * 1024,
      storageEngines: ['lmdb'],
      javascriptEngine: 'none',
      modules: [],
      ok: 1,
    }),
  });
  engine.register(['serverStatus'], {
    handler: (ctx) => ({
      host: `${ctx.engine.info.host}:${ctx.engine.info.port}`,
      version: SERVER_VERSION,
      process: 'embedded-mongo',
      pid: Long.fromNumber(process.pid),
      uptime: Math.floor((Date.now() - ctx.engine.info.startedAt.getTime()) / 1000),
      localTime: new Date(),
      mem: { resident: Math.round(process.memoryUsage().rss / 1048576), virtual: 0, supported: true },
      storageEngine: { name: 'lmdb', supportsCommittedReads: true, persistent: true },
      // Not in mongod's serverStatus: where a write's latency goes (durable commits, GC pauses).
      embedded: { commits: ctx.engine.store.commitDurations.toDocument(), gcPauses: ctx.engine.gcPauses.toDocument() },
      ok: 1,
    }),
  });
  engine.register(['hostInfo'], { handler: () => ({ system: { hostname: hostname() }, os: { type: process.platform }, extra: {}, ok: 1 }) });
  engine.register(['whatsmyuri'], { handler: () => ({ you: '127.0.0.1:0', ok: 1 }) });
  engine.register(['getCmdLineOpts'], { handler: () => ({ argv: process.argv, parsed: {}, ok: 1 }) });
  engine.register(['getParameter'], {
    handler: (ctx) => {
      const r: Document = { ok: 1 };
      if (ctx.cmd.featureCompatibilityVersion !== undefined || ctx.cmd.getParameter === '*') r.featureCompatibilityVersion = { version: '7.0' };
      if (ctx.cmd.transactionLifetimeLimitSeconds !== undefined || ctx.cmd.getParameter === '*') r.transactionLifetimeLimitSeconds = ctx.engine.sessions.lifetimeMs / 1000;
      return r;
    },
  });
  // The one parameter with an effect here: how long a transaction whose client vanished keeps its locks.
  engine.register(['setParameter'], {
    handler: (ctx) => {
      const seconds = ctx.cmd.transactionLifetimeLimitSeconds;
      if (seconds === undefined) return { ok: 1 };
      if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 1) {
        throw new CommandError(ErrorCodes.BadValue, 'transactionLifetimeLimitSeconds must be a positive integer');
      }
      const was = ctx.engine.sessions.lifetimeMs / 1000;
      ctx.engine.sessions.lifetimeMs = seconds * 1000;
      return { was, ok: 1 };
    },
  });
  engine.register(['setFeatureCompatibilityVersion', 'setDefaultRWConcern', 'fsync', 'compact', 'validate', 'reIndex'], {
    handler: () => ({ ok: 1 }),
  });
  engine.register(['getDefaultRWConcern'], { handler: () => ({ defaultReadConcern: { level: 'local' }, defaultWriteConcern: { w: 'majority', wtimeout: 0 }, ok: 1 }) });
  engine.register(['connectionStatus'], { handler: () => ({ authInfo: { authenticatedUsers: [], authenticatedUserRoles: [] }, ok: 1 }) });
  engine.register(['getLog'], { handler: () => ({ totalLinesWritten: 0, log: [], ok: 1 }) });
  engine.register(['replSetGetStatus'], {
    handler: (ctx) => ({
      set: ctx.engine.info.setName,
      myState: 1,
      members: [{ _id: 0, name: `${ctx.engine.info.host}:${ctx.engine.info.port}`, health: 1, state: 1, stateStr: 'PRIMARY', self: true }],
      ok: 1,
    }),
  });
  engine.register(['endSessions', 'killSessions'], {
    handler: (ctx) => {
      const list = (ctx.cmd[ctx.name] ?? []) as Document[];
      for (const lsid of list) {
        const key = lsidKey(lsid);
        if (key) ctx.engine.sessions.end(key);
      }
      return { ok: 1 };
    },
  });
  engine.register(['refreshSessions', 'startSession'], {
    handler: () => ({ ok: 1 }),
  });
  engine.register(['listCommands'], { handler: () => ({ commands: {}, ok: 1 }) });
  engine.register(['logout'], { handler: () => ({ ok: 1 }) });
}
