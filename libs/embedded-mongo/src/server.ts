import { Document } from 'bson';
import * as net from 'net';
import { registerAdmin } from './commands/admin';
import { registerCrud } from './commands/crud';
import { registerExplain } from './commands/explain';
import { registerHandshake } from './commands/handshake';
import { Engine } from './engine';
import { CommandError } from './errors';
import { Store } from './storage/store';
import { DocumentTooLarge, FrameError, MSG_MORE_TO_COME, encodeMsgReply, encodeOpReply, frameLength, parseFrame, peekCommandName } from './wire/frames';

export interface ServerOptions {
  dbPath: string;
  port?: number;
  host?: string;
  setName?: string;
  logger?: (line: string) => void;
}

export function createEngine(store: Store, info: Engine['info'], log?: (l: string) => void): Engine {
  const engine = new Engine(store, info, log);
  registerHandshake(engine);
  registerCrud(engine);
  registerAdmin(engine);
  registerExplain(engine);
  return engine;
}

const TYPED_WRITES = ['insert', 'update', 'findAndModify', 'findandmodify'];

/** Keys the driver attaches to every command that are not part of its arguments. */
const ENVELOPE = ['$db', '$readPreference', '$clusterTime', 'readConcern', 'apiVersion', 'apiStrict', 'apiDeprecationErrors', 'comment'];

export class MongoServer {
  private server?: net.Server;
  private engine?: Engine;
  private store?: Store;
  private readonly sockets = new Set<net.Socket>();
  private inflight = 0;
  private idle?: () => void;
  private nextConnectionId = 1;
  port = 0;
  host = '127.0.0.1';
  readonly setName: string;
  private readonly log: (line: string) => void;

  constructor(private readonly opts: ServerOptions) {
    this.setName = opts.setName ?? 'rs0';
    this.log = opts.logger ?? (() => undefined);
  }

  async listen(): Promise<void> {
    this.host = this.opts.host ?? '127.0.0.1';
    this.store = new Store(this.opts.dbPath);
    const info = { host: this.host, port: 0, setName: this.setName, startedAt: new Date() };
    this.engine = createEngine(this.store, info, this.log);
    this.server = net.createServer((s) => this.onConnection(s));
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.opts.port ?? 0, this.host, () => resolve());
    });
    this.port = (this.server.address() as net.AddressInfo).port;
    info.port = this.port;
    this.engine.startBackground();
    this.log(`listening on ${this.host}:${this.port}, data in ${this.opts.dbPath}`);
  }

  get uri(): string {
    return `mongodb://${this.host}:${this.port}/?replicaSet=${this.setName}&directConnection=true`;
  }

  private onConnection(socket: net.Socket): void {
    const connectionId = this.nextConnectionId++;
    this.sockets.add(socket);
    socket.setNoDelay(true);
    // Chunks are kept as a list and joined once a whole frame has arrived: concatenating on every
    // chunk would copy a 48 MB message hundreds of times and stall every other connection.
    const chunks: Buffer[] = [];
    let buffered = 0;
    let needed = 0;
    let queue = Promise.resolve();
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      buffered += chunk.length;
      if (buffered < needed) return;
      try {
        let buf = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, buffered);
        chunks.length = 0;
        for (;;) {
          const len = frameLength(buf);
          if (len === undefined || buf.length < len) {
            needed = len ?? 4;
            break;
          }
          const frame = buf.subarray(0, len);
          buf = buf.subarray(len);
          // Writes are decoded keeping numeric types, so what they store keeps them (a Double 7.0 stays a double).
          const name = peekCommandName(frame);
          let parsed: ReturnType<typeof parseFrame>;
          try {
            parsed = parseFrame(frame, name !== undefined && TYPED_WRITES.includes(name));
          } catch (e) {
            if (!(e instanceof DocumentTooLarge)) throw e;
            // The stream is still in sync: answer like mongod (BSONObjectTooLarge), in order, and keep reading.
            const reply = encodeMsgReply(e.requestId, new CommandError(10334, e.message).toReply());
            queue = queue.then(() => void (socket.destroyed || socket.write(reply)));
            continue;
          }
          queue = queue.then(() => this.handle(socket, parsed, connectionId));
        }
        buffered = buf.length;
        if (buf.length) chunks.push(buf);
      } catch (e) {
        // A malformed frame poisons only this connection's stream; everyone else carries on.
        this.log(`closing connection ${connectionId}: ${(e as Error).message}`);
        chunks.length = 0;
        socket.destroy();
      }
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.sockets.delete(socket));
  }

  private async handle(socket: net.Socket, frame: ReturnType<typeof parseFrame>, connectionId: number): Promise<void> {
    if (socket.destroyed) return;
    this.inflight++;
    try {
      let cmd = frame.command;
      let db: string;
      if (frame.kind === 'query') {
        db = frame.fullCollectionName.split('.')[0];
        if (cmd.$query && typeof cmd.$query === 'object') cmd = cmd.$query as Document;
      } else if (typeof cmd.$db === 'string') {
        db = cmd.$db;
      } else {
        socket.write(encodeMsgReply(frame.header.requestId, new CommandError(40571, 'OP_MSG requests require a $db argument').toReply()));
        return;
      }
      for (const k of ENVELOPE) if (k in cmd && Object.keys(cmd)[0] !== k) delete cmd[k];
      const reply = await this.engine!.dispatch(db, cmd, connectionId);
      if (frame.kind === 'msg' && frame.flags & MSG_MORE_TO_COME) return;
      if (socket.destroyed) return;
      socket.write(frame.kind === 'query' ? encodeOpReply(frame.header.requestId, reply) : encodeMsgReply(frame.header.requestId, reply));
    } catch (e) {
      this.log(`connection ${connectionId}: ${e instanceof FrameError ? 'bad frame' : 'reply failed'}: ${(e as Error).message}`);
      socket.destroy();
    } finally {
      this.inflight--;
      if (this.inflight === 0 && this.idle) this.idle();
    }
  }

  /** Stops accepting, lets in-flight commands finish, then closes lmdb. */
  async close(): Promise<void> {
    if (!this.server) return;
    const server = this.server;
    this.server = undefined;
    const closed = new Promise<void>((r) => server.close(() => r()));
    if (this.inflight > 0) await new Promise<void>((r) => (this.idle = r));
    for (const s of this.sockets) s.destroy();
    await closed;
    this.engine?.stop();
    await this.store?.close();
  }
}
