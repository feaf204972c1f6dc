import { KeyObject } from 'node:crypto';
import { genesisHead, recordHash } from './chain';
import { checkpointHash, checkpointIsAuthentic, FIRST_PREVIOUS, SignedCheckpoint } from './checkpoint';
import { AuditRecord, ChainHead, PartitionId } from './record';

export type AuditProblemKind = 'edited' | 'removed' | 'inserted' | 'reordered' | 'rewritten' | 'checkpoint';

export interface AuditProblem {
  readonly kind: AuditProblemKind;
  readonly partition?: PartitionId;
  /** Sequence number of the first bad record (for "removed": the first one missing). */
  readonly seq?: number;
  readonly recordId?: string;
  readonly checkpoint?: number;
  /** For a vouched-for target (an hour-ledger entry): which one is edited, removed or inserted. */
  readonly target?: { readonly type: string; readonly id: string };
  readonly message: string;
}

/**
 * Targets whose stored content the chain vouches for: every one must match the `digest` of the
 * record that wrote it. A context registers its collection (the ledger its entries) with the
 * chain store, so the audit lib needs to know nothing of what the targets are.
 */
export interface DigestSource {
  /** The records' `target.type`, e.g. `ledger-entry`. */
  readonly targetType: string;
  /** zh-CN name of the collection for messages, e.g. 学时台账. */
  readonly label: string;
  /** Every stored target with the digest of its content as it is now. */
  entries(): AsyncIterable<{ readonly id: string; readonly digest: string }>;
}

/** Problems named per digest source: the first ones, then a count, so one bulk edit does not flood the report. */
const DIGEST_PROBLEMS_SHOWN = 20;

/**
 * Compares a source's targets with the digests their records hold: a target whose content
 * differs was edited; one with no record was inserted behind the platform's back; a record whose
 * target is gone names a deletion. `recorded` is built from records the chain check covers.
 */
export async function verifyDigests(source: DigestSource, recorded: ReadonlyMap<string, string>): Promise<{ checked: number; problems: AuditProblem[] }> {
  const problems: AuditProblem[] = [];
  let hidden = 0;
  const add = (p: AuditProblem) => (problems.length < DIGEST_PROBLEMS_SHOWN ? problems.push(p) : hidden++);
  const seen = new Set<string>();
  let checked = 0;
  for await (const { id, digest } of source.entries()) {
    checked++;
    seen.add(id);
    const target = { type: source.targetType, id };
    const expected = recorded.get(id);
    if (expected === undefined) add({ kind: 'inserted', target, message: `${source.label}记录 ${id} 没有审计记录（绕过平台直接写入）` });
    else if (expected !== digest) add({ kind: 'edited', target, message: `${source.label}记录 ${id} 的内容与写入时的审计记录不符（被修改）` });
  }
  for (const id of recorded.keys()) {
    if (!seen.has(id)) add({ kind: 'removed', target: { type: source.targetType, id }, message: `${source.label}记录 ${id} 被删除（审计记录仍在）` });
  }
  if (hidden > 0) problems.push({ kind: problems[problems.length - 1].kind, target: { type: source.targetType, id: '*' }, message: `${source.label}另有 ${hidden} 条记录存在同类问题` });
  return { checked, problems };
}

export interface VerifyReport {
  readonly intact: boolean;
  readonly records: number;
  readonly partitions: number;
  /** Vouched-for targets (hour-ledger entries) compared with their records' digests. */
  readonly targets?: number;
  /** The newest authentic checkpoint the log was checked against (intact: "intact up to checkpoint N"). */
  readonly checkpoint?: { readonly number: number; readonly at: string };
  /** At most one per partition (the first broken link), plus checkpoint problems. */
  readonly problems: readonly AuditProblem[];
}

export interface PartitionSource {
  readonly partition: PartitionId;
  /** The stored head of the partition (the last committed record's seq and hash). */
  readonly head: ChainHead | undefined;
  /** The partition's records in ascending `seq`. */
  readonly records: AsyncIterable<AuditRecord>;
}

export interface VerifyInput {
  readonly sources: readonly PartitionSource[];
  /** Checkpoints kept by the platform. */
  readonly stored: readonly SignedCheckpoint[];
  /** A checkpoint an auditor exported earlier and brings back: what catches a rewrite with recomputed hashes. */
  readonly external?: SignedCheckpoint;
  readonly publicKey: KeyObject;
  /** How far past a broken link to read to tell a swap from an insertion or a removal. */
  readonly lookahead?: number;
  /** Partitions read at once (default 1); the report is the same in any case. */
  readonly concurrency?: number;
}

interface Expectation {
  readonly seq: number;
  readonly hash: string;
  readonly checkpoint: number;
}

/** Checks the checkpoints among themselves; returns the authentic ones and what is wrong with the rest. */
function checkCheckpoints(input: VerifyInput): { authentic: SignedCheckpoint[]; problems: AuditProblem[] } {
  const problems: AuditProblem[] = [];
  const authentic: SignedCheckpoint[] = [];
  const stored = [...input.stored].sort((a, b) => a.number - b.number);
  let previous: SignedCheckpoint | undefined;
  for (const cp of stored) {
    if (!checkpointIsAuthentic(cp, input.publicKey)) {
      problems.push({ kind: 'checkpoint', checkpoint: cp.number, message: `检查点 #${cp.number} 的签名或根哈希无效（被篡改或不是本平台密钥签发）` });
      continue;
    }
    const expectedNumber = previous ? previous.number + 1 : 1;
    if (cp.number !== expectedNumber) {
      problems.push({ kind: 'checkpoint', checkpoint: expectedNumber, message: `检查点 #${expectedNumber}${cp.number - 1 > expectedNumber ? `–#${cp.number - 1}` : ''} 缺失（被删除）` });
    } else if (cp.previous !== (previous ? checkpointHash(previous) : FIRST_PREVIOUS)) {
      problems.push({ kind: 'checkpoint', checkpoint: cp.number, message: `检查点 #${cp.number} 与前一检查点的链接不符` });
    }
    authentic.push(cp);
    previous = cp;
  }
  const ext = input.external;
  if (ext) {
    if (!checkpointIsAuthentic(ext, input.publicKey)) {
      problems.push({ kind: 'checkpoint', checkpoint: ext.number, message: `导出的检查点 #${ext.number} 签名无效：它不是本平台密钥签发的，或文件被修改过` });
    } else {
      const twin = stored.find((c) => c.number === ext.number);
      if (twin && checkpointHash(twin) !== checkpointHash(ext)) {
        problems.push({ kind: 'checkpoint', checkpoint: ext.number, message: `平台保存的检查点 #${ext.number} 与导出的不一致` });
      } else if (!twin) {
        if (!previous || ext.number > previous.number) {
          problems.push({ kind: 'checkpoint', checkpoint: ext.number, message: `平台中没有导出的检查点 #${ext.number}（平台的检查点被删除）` });
        }
      }
      authentic.push(ext);
    }
  }
  return { authentic, problems };
}

function expectationsFor(partition: PartitionId, checkpoints: readonly SignedCheckpoint[]): Expectation[] {
  const out: Expectation[] = [];
  for (const cp of checkpoints) {
    const head = cp.heads.find((h) => h.partition === partition);
    if (head && head.seq > 0) out.push({ seq: head.seq, hash: head.hash, checkpoint: cp.number });
  }
  return out.sort((a, b) => a.seq - b.seq || a.checkpoint - b.checkpoint);
}

interface Link {
  readonly seq: number;
  readonly hash: string;
  readonly id?: string;
}

/** Reads one partition's records in order and returns its first problem, if any. */
async function verifyPartition(source: PartitionSource, expectations: readonly Expectation[], lookahead: number): Promise<{ records: number; problem?: AuditProblem }> {
  const p = source.partition;
  let prev: Link = genesisHead(p);
  let prevPrev: Link | undefined;
  let records = 0;
  let next = 0;
  let lastMatched = 0;
  let firstAfterMatch: string | undefined;
  let atHead: string | undefined;
  let broken: { rec: AuditRecord; prev: Link; prevPrev?: Link } | undefined;
  const later: AuditRecord[] = [];
  const iterator = source.records[Symbol.asyncIterator]();
  try {
    for (let step = await iterator.next(); !step.done; step = await iterator.next()) {
      const rec = step.value;
      records++;
      if (broken) {
        later.push(rec);
        if (later.length >= lookahead) break;
        continue;
      }
      if (recordHash(rec) !== rec.hash) {
        return { records, problem: { kind: 'edited', partition: p, seq: rec.seq, recordId: rec.id, message: `分区 ${p} 序号 ${rec.seq} 的记录内容被修改（哈希不符）` } };
      }
      if (rec.seq <= prev.seq) {
        return { records, problem: { kind: 'inserted', partition: p, seq: rec.seq, recordId: rec.id, message: `分区 ${p} 序号 ${rec.seq} 处多出一条记录（被插入）` } };
      }
      if (rec.seq !== prev.seq + 1) {
        if (rec.prevHash === prev.hash) {
          return { records, problem: { kind: 'edited', partition: p, seq: rec.seq, recordId: rec.id, message: `分区 ${p} 序号 ${rec.seq} 的记录序号被修改（应为 ${prev.seq + 1}）` } };
        }
        return { records, problem: { kind: 'removed', partition: p, seq: prev.seq + 1, recordId: rec.id, message: `分区 ${p} 序号 ${prev.seq + 1}${rec.seq - 1 > prev.seq + 1 ? `–${rec.seq - 1}` : ''} 的记录被删除` } };
      }
      if (rec.prevHash !== prev.hash) {
        broken = { rec, prev, prevPrev };
        continue;
      }
      if (firstAfterMatch === undefined) firstAfterMatch = rec.id;
      if (source.head && rec.seq === source.head.seq) atHead = rec.hash;
      while (next < expectations.length && expectations[next].seq === rec.seq) {
        const e = expectations[next++];
        if (e.hash !== rec.hash) {
          return {
            records,
            problem: {
              kind: 'rewritten',
              partition: p,
              seq: lastMatched + 1,
              recordId: firstAfterMatch,
              checkpoint: e.checkpoint,
              message: `分区 ${p} 序号 ${lastMatched + 1}–${rec.seq} 之间的记录被改写（哈希已重新计算，但与检查点 #${e.checkpoint} 不符）`,
            },
          };
        }
        lastMatched = rec.seq;
        firstAfterMatch = undefined;
      }
      prevPrev = prev;
      prev = { seq: rec.seq, hash: rec.hash, id: rec.id };
    }
  } finally {
    await iterator.return?.();
  }
  if (broken) return { records, problem: classifyBreak(p, broken.rec, broken.prev, broken.prevPrev, later) };
  const head = source.head;
  if (next < expectations.length) {
    const e = expectations[next];
    return { records, problem: { kind: 'removed', partition: p, seq: prev.seq + 1, checkpoint: e.checkpoint, message: `分区 ${p} 序号 ${prev.seq + 1} 起的记录被删除（检查点 #${e.checkpoint} 记录到序号 ${e.seq}）` } };
  }
  if (!head) {
    return records === 0 ? { records } : { records, problem: { kind: 'removed', partition: p, message: `分区 ${p} 的链头缺失` } };
  }
  if (head.seq > prev.seq) {
    return { records, problem: { kind: 'removed', partition: p, seq: prev.seq + 1, message: `分区 ${p} 序号 ${prev.seq + 1}${head.seq > prev.seq + 1 ? `–${head.seq}` : ''} 的记录被删除（链头在序号 ${head.seq}）` } };
  }
  // The head trails the log (it is advanced after each commit, and a writer killed in between
  // leaves it behind): records past it are fine as long as the head itself is on the chain.
  if (head.seq < prev.seq) {
    if (head.seq > 0 && atHead !== head.hash) {
      return { records, problem: { kind: 'rewritten', partition: p, seq: lastMatched + 1, recordId: firstAfterMatch, message: `分区 ${p} 的记录被改写：序号 ${head.seq} 的记录与链头不符` } };
    }
    return { records };
  }
  if (head.hash !== prev.hash) {
    return { records, problem: { kind: 'rewritten', partition: p, seq: lastMatched + 1, recordId: firstAfterMatch, message: `分区 ${p} 的记录被改写：最后一条记录与链头不符` } };
  }
  return { records };
}

/**
 * A link broke at `rec`: its prevHash is not the hash of the record before it. Which tampering
 * leaves exactly this shape: a swap (rec points at a record that comes later), an insertion
 * (the record after rec, or rec itself, links past the newcomer), or a removal (rec points at a
 * record that no longer exists).
 */
function classifyBreak(p: PartitionId, rec: AuditRecord, prev: Link, prevPrev: Link | undefined, later: readonly AuditRecord[]): AuditProblem {
  if (later.some((r) => r.hash === rec.prevHash)) {
    return { kind: 'reordered', partition: p, seq: rec.seq, recordId: rec.id, message: `分区 ${p} 序号 ${rec.seq} 起的记录顺序被调换` };
  }
  if (later[0] && later[0].prevHash === prev.hash) {
    return { kind: 'inserted', partition: p, seq: rec.seq, recordId: rec.id, message: `分区 ${p} 序号 ${rec.seq} 的记录是被插入的` };
  }
  if (prevPrev && rec.prevHash === prevPrev.hash) {
    return { kind: 'inserted', partition: p, seq: prev.seq, recordId: prev.id, message: `分区 ${p} 序号 ${prev.seq} 的记录是被插入的` };
  }
  return { kind: 'removed', partition: p, seq: rec.seq, recordId: rec.id, message: `分区 ${p} 序号 ${rec.seq} 之前的记录被删除（其后的记录被重新编号）` };
}

/**
 * Verifies every partition's chain, its stored head and every authentic checkpoint (the
 * platform's and an exported one). Pure apart from reading the iterables it is given, so the
 * same code runs in the API, the scheduled job and the CLI.
 */
export async function verifyAuditLog(input: VerifyInput): Promise<VerifyReport> {
  const { authentic, problems } = checkCheckpoints(input);
  const results = await mapBounded(input.sources, Math.max(1, input.concurrency ?? 1), (source) =>
    verifyPartition(source, expectationsFor(source.partition, authentic), input.lookahead ?? 1000),
  );
  let records = 0;
  for (const result of results) {
    records += result.records;
    if (result.problem) problems.push(result.problem);
  }
  const newest = authentic.reduce<SignedCheckpoint | undefined>((a, c) => (!a || c.number > a.number ? c : a), undefined);
  return {
    intact: problems.length === 0,
    records,
    partitions: input.sources.length,
    checkpoint: newest && { number: newest.number, at: newest.at },
    problems,
  };
}

/** `fn` over `items` with at most `limit` running at once; results in the items' order. */
async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return out;
}
