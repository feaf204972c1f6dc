import { Document } from 'bson';
import { CommandError, ErrorCodes, toCommandError } from './errors';
import { DirectTarget, WriteTarget } from './ops/target';
import { AggregatePool } from './query/aggregate-pool';
import { DurationCounts, observeGcPauses } from './metrics';
import { CursorRegistry } from './query/cursor';
import { StoreView, View } from './query/view';
import { Store } from './storage/store';
import { RetryLog, Session, Sessions, lsidKey, noSuchTransaction } from './txn/sessions';
import { Transaction } from './txn/transaction';

export interface ServerInfo {
  host: string;
  port: number;
  setName: string;
  startedAt: Date;
}

/** Everything one command needs: where it runs (db), its session/transaction, and the engine. */
export interface CommandContext {
  engine: Engine;
  db: string;
  name: string;
  cmd: Document;
  session?: Session;
  txn?: Transaction;
  connectionId: number;
}

export type CommandHandler = (ctx: CommandContext) => Promise<Document> | Document;

export interface CommandSpec {
  handler: CommandHandler;
  /** Writes record their reply for retryable-write dedupe. */
  retryableWrite?: boolean;
  /** Allowed inside a multi-document transaction. */
  inTxn?: boolean;
}

/** Commands that carry no transaction semantics even when the driver attaches lsid/txnNumber. */
const TXN_CONTROL = new Set(['commitTransaction', 'abortTransaction']);

export class Engine {
  readonly cursors = new CursorRegistry();
  readonly aggregatePool = new AggregatePool();
  readonly sessions: Sessions;
  readonly retryLog: RetryLog;
  private readonly table = new Map<string, CommandSpec>();
  private timer?: NodeJS.Timeout;
  /** GC pauses of the serving process while the background runs (serverStatus `embedded.gcPauses`). */
  readonly gcPauses = new DurationCounts();
  private stopGcObserver?: () => void;
  private readonly background: Array<() => Promise<void> | void> = [];

  constructor(
    readonly store: Store,
    readonly info: ServerInfo,
    readonly log: (line: string) => void = () => undefined,
  ) {
    this.sessions = new Sessions(store);
    this.retryLog = new RetryLog(store);
  }

  register(names: string[], spec: CommandSpec): void {
    for (const n of names) this.table.set(n.toLowerCase(), spec);
  }

  /** Periodic housekeeping (cursor/session reaping, TTL) that must never overlap itself. */
  every(fn: () => Promise<void> | void): void {
    this.background.push(fn);
  }

  startBackground(intervalMs = 1000): void {
    this.stopGcObserver = observeGcPauses(this.gcPauses);
    let running = false;
    this.timer = setInterval(async () => {
      if (running) return;
      running = true;
      try {
        this.cursors.sweep();
        this.sessions.sweep();
        for (const fn of this.background) await fn();
      } catch (e) {
        this.log(`background task failed: ${(e as Error).message}`);
      } finally {
        running = false;
      }
    }, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.stopGcObserver?.();
    this.cursors.closeAll();
    this.sessions.abortAll();
    void this.aggregatePool.close();
  }

  /** Reads see the transaction's view inside a transaction, else the latest committed data. */
  view(ctx: CommandContext): View {
    return ctx.txn ? ctx.txn.view : new StoreView(this.store);
  }

  /** A view pinned to one lmdb snapshot for the life of a cursor; call done() when the cursor closes. */
  snapshotView(ctx: CommandContext): { view: View; done: () => void } {
    if (ctx.txn) return { view: ctx.txn.view, done: () => undefined };
    const t = this.store.readTxn();
    let open = true;
    return {
      view: new StoreView(this.store, { transaction: t }),
      done: () => {
        if (open) t.done();
        open = false;
      },
    };
  }

  /**
   * Runs a write statement list: buffered in the transaction, or applied in one durable lmdb
   * transaction (together with its retryable-write record).
   */
  async write(ctx: CommandContext, fn: (t: WriteTarget) => { reply: Document; failed?: boolean }): Promise<Document> {
    if (ctx.txn) {
      const r = fn(ctx.txn.target);
      if (r.failed) ctx.txn.abort();
      return r.reply;
    }
    const retryKey = ctx.cmd.txnNumber !== undefined ? lsidKey(ctx.cmd.lsid) : undefined;
    const txnNumber = Number(ctx.cmd.txnNumber);
    return this.store.write((w) => {
      if (retryKey) {
        const prior = this.retryLog.lookup(retryKey, txnNumber);
        if (prior) return prior;
      }
      const r = fn(new DirectTarget(w, this.store));
      if (retryKey) this.retryLog.save(retryKey, txnNumber, r.reply);
      return r.reply;
    });
  }

  async dispatch(db: string, cmd: Document, connectionId: number): Promise<Document> {
    const name = Object.keys(cmd)[0];
    if (!name) return new CommandError(ErrorCodes.FailedToParse, 'empty command').toReply();
    const spec = this.table.get(name.toLowerCase());
    if (!spec) return new CommandError(ErrorCodes.CommandNotFound, `no such command: '${name}'`).toReply();
    const ctx: CommandContext = { engine: this, db, name, cmd, connectionId };
    try {
      const key = cmd.lsid ? lsidKey(cmd.lsid) : undefined;
      if (key) ctx.session = this.sessions.get(key);
      if (cmd.autocommit === false) {
        if (!ctx.session) throw new CommandError(ErrorCodes.InvalidOptions, 'Transactions require a logical session id');
        if (!spec.inTxn && !TXN_CONTROL.has(name)) {
          throw new CommandError(ErrorCodes.OperationNotSupportedInTransaction, `Cannot run '${name}' in a multi-document transaction.`);
        }
        ctx.txn = this.sessions.transactionFor(ctx.session, Number(cmd.txnNumber), cmd.startTransaction === true, name);
      } else if (TXN_CONTROL.has(name)) {
        throw noSuchTransaction(Number(cmd.txnNumber));
      }
      return await spec.handler(ctx);
    } catch (e) {
      const err = toCommandError(e);
      if (ctx.txn && !TXN_CONTROL.has(name)) {
        ctx.txn.abort();
        if (err.code !== ErrorCodes.WriteConflict && err.code !== ErrorCodes.NoSuchTransaction) {
          // mongod labels errors that aborted a transaction so withTransaction knows to retry.
          return err.toReply();
        }
      }
      if (err.code === ErrorCodes.InternalError) this.log(`command ${name} failed: ${(e as Error).stack ?? err.message}`);
      return err.toReply();
    }
  }
}
