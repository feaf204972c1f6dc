import { Binary, Document } from 'bson';
import { CommandError, ErrorCodes } from '../errors';
import { Store, decodeDoc, encodeDoc } from '../storage/store';
import { Transaction } from './transaction';

/** mongod's transactionLifetimeLimitSeconds default. */
export const TXN_LIFETIME_MS = 60_000;
const SESSION_IDLE_MS = 30 * 60_000;

export interface Session {
  key: string;
  lastUse: number;
  txnNumber: number;
  txn?: Transaction;
}

export function lsidKey(lsid: unknown): string | undefined {
  const id = (lsid as { id?: unknown } | undefined)?.id;
  if (id instanceof Binary) return Buffer.from(id.buffer.subarray(0, id.position)).toString('hex');
  if (id && typeof (id as { toHexString?: () => string }).toHexString === 'function') return (id as { toHexString(): string }).toHexString();
  return undefined;
}

export function noSuchTransaction(txnNumber: number): CommandError {
  return new CommandError(
    ErrorCodes.NoSuchTransaction,
    `Transaction with { txnNumber: ${txnNumber} } has been aborted.`,
    {},
    ['TransientTransactionError'],
  );
}

export class Sessions {
  private readonly sessions = new Map<string, Session>();
  /** mongod's transactionLifetimeLimitSeconds, settable the same way (setParameter). */
  lifetimeMs = TXN_LIFETIME_MS;

  constructor(private readonly store: Store) {}

  get(key: string): Session {
    let s = this.sessions.get(key);
    if (!s) this.sessions.set(key, (s = { key, lastUse: Date.now(), txnNumber: -1 }));
    s.lastUse = Date.now();
    return s;
  }

  end(key: string): void {
    const s = this.sessions.get(key);
    s?.txn?.abort();
    this.sessions.delete(key);
  }

  /** Resolves the transaction a command with autocommit:false runs in, starting one if asked. */
  transactionFor(s: Session, txnNumber: number, start: boolean, commandName: string): Transaction {
    if (start) {
      if (txnNumber < s.txnNumber || (txnNumber === s.txnNumber && s.txn)) {
        throw new CommandError(ErrorCodes.TransactionTooOld, `Cannot start transaction ${txnNumber} on session because a newer transaction ${s.txnNumber} has already started.`);
      }
      s.txn?.abort();
      s.txnNumber = txnNumber;
      s.txn = new Transaction(this.store, txnNumber);
      return s.txn;
    }
    const t = s.txn;
    if (!t || t.txnNumber !== txnNumber) throw noSuchTransaction(txnNumber);
    if (t.state === 'aborted') throw noSuchTransaction(txnNumber);
    if (t.state === 'committed' && commandName !== 'commitTransaction' && commandName !== 'abortTransaction') {
      throw new CommandError(256, `Transaction with { txnNumber: ${txnNumber} } has been committed.`);
    }
    return t;
  }

  /** Aborts transactions past their lifetime and forgets idle sessions, as mongod's reaper does. */
  sweep(now = Date.now()): void {
    for (const [k, s] of this.sessions) {
      if (s.txn?.state === 'in_progress' && now - s.txn.startedAt > this.lifetimeMs) s.txn.abort();
      if (now - s.lastUse > SESSION_IDLE_MS) this.end(k);
    }
  }

  abortAll(): void {
    for (const s of this.sessions.values()) s.txn?.abort();
  }
}

/**
 * Retryable writes: the reply of the last write of each session is stored in lmdb in the same
 * transaction as the write itself, so a retry (same lsid + txnNumber) after a lost reply or a
 * crash returns that reply instead of applying the write twice.
 */
export class RetryLog {
  constructor(private readonly store: Store) {}

  /** Inside a write transaction: the stored reply for this exact (session, txnNumber), if any. */
  lookup(key: string, txnNumber: number): Document | undefined {
    const b = this.store.sys.getBinary('rw:' + key);
    if (!b) return undefined;
    // Every write of a session looks here, and almost always finds the previous txnNumber: read
    // just that field, and decode the stored reply only for a real retry.
    const stored = leadingTxnNumber(b) ?? Number(decodeDoc(b).txnNumber);
    if (stored === txnNumber) return decodeDoc(b).reply as Document;
    if (stored > txnNumber) {
      throw new CommandError(ErrorCodes.TransactionTooOld, `Retryable write with txnNumber ${txnNumber} is prohibited on session because a newer retryable write with txnNumber ${stored} has already started on this session.`);
    }
    return undefined;
  }

  /** `txnNumber` is written first, where `leadingTxnNumber` finds it without decoding the record. */
  save(key: string, txnNumber: number, reply: Document): void {
    this.store.sys.put('rw:' + key, encodeDoc({ txnNumber, reply }));
  }
}

const TXN_NUMBER_NAME = Buffer.from('txnNumber\0', 'latin1');

/**
 * The value of a BSON document's first element when it is `txnNumber` (int32 / int64 / double),
 * else undefined. Layout: int32 size, type byte, cstring name, value.
 */
export function leadingTxnNumber(b: Buffer): number | undefined {
  const nameEnd = 5 + TXN_NUMBER_NAME.length;
  if (b.length < nameEnd + 8 || !TXN_NUMBER_NAME.equals(b.subarray(5, nameEnd))) return undefined;
  switch (b[4]) {
    case 0x10:
      return b.readInt32LE(nameEnd);
    case 0x12:
      return Number(b.readBigInt64LE(nameEnd));
    case 0x01:
      return b.readDoubleLE(nameEnd);
    default:
      return undefined;
  }
}
