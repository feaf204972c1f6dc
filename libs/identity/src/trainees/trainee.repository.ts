import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { isValidObjectId, Model, Types } from 'mongoose';
import { AppError, isDuplicateKey } from '@app/platform';
import { scopeFilter } from '../auth/scope-filter';
import type { SystemScope, TenantScope } from '../auth/tenant-scope';
import { identityError } from '../identity.errors';
import { FieldCipher } from '../pii/field-cipher';
import type { NewTrainee, Trainee, TraineeStatus } from './trainee.entity';
import { TraineeDoc } from './trainee.schema';
import { mayWriteTraineesOf, TRAINEE_SCOPE_COLUMNS } from './trainee-scope';

type Lean = TraineeDoc & { _id: Types.ObjectId };

export interface TraineeQuery {
  programId?: string;
  enterpriseId?: string;
  category?: string;
  status?: TraineeStatus;
  /** Part of the name. */
  name?: string;
  /** Exact ID number (looked up through the blind index). */
  idNumber?: string;
}

export interface Page {
  offset: number;
  limit: number;
}

export type UpsertOutcome = 'created' | 'updated' | 'unchanged';

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function duplicate(): AppError {
  return identityError('TRAINEE_DUPLICATE', { fields: [{ field: 'idNumber', reasons: ['该身份证号已在本项目中登记'] }] });
}

/**
 * Trainee records. Every method takes the caller's TenantScope: reads are filtered by it, writes
 * are refused outside it, so no code path can read or change another tenant's people.
 */
@Injectable()
export class TraineeRepository {
  constructor(
    @InjectModel(TraineeDoc.name) private readonly model: Model<TraineeDoc>,
    private readonly cipher: FieldCipher,
  ) {}

  async findById(scope: TenantScope, id: string): Promise<Trainee | undefined> {
    if (!isValidObjectId(id)) return undefined;
    const doc = await this.model.findOne({ ...scopeFilter(scope, TRAINEE_SCOPE_COLUMNS), _id: new Types.ObjectId(id) }).lean<Lean>();
    return doc ? this.toTrainee(doc) : undefined;
  }

  async findByIds(scope: TenantScope, ids: readonly string[]): Promise<Trainee[]> {
    const valid = ids.filter((id) => isValidObjectId(id)).map((id) => new Types.ObjectId(id));
    const docs = await this.model.find({ ...scopeFilter(scope, TRAINEE_SCOPE_COLUMNS), _id: { $in: valid } }).lean<Lean[]>();
    return docs.map((d) => this.toTrainee(d));
  }

  /** The same people (by ID-number blind index) registered in other programs: 避免重复培训 (003_… §四(二)). */
  async samePeopleElsewhere(scope: TenantScope, trainees: readonly Trainee[]): Promise<Map<string, Trainee[]>> {
    const byIdx = new Map<string, Trainee[]>();
    for (const t of trainees) {
      const idx = this.cipher.index('trainee.idNumber', t.idNumber);
      byIdx.set(idx, [...(byIdx.get(idx) ?? []), t]);
    }
    const out = new Map<string, Trainee[]>();
    const docs = await this.model.find({ ...scopeFilter(scope, TRAINEE_SCOPE_COLUMNS), idNumberIdx: { $in: [...byIdx.keys()] } }).lean<Lean[]>();
    for (const d of docs) {
      for (const t of byIdx.get(d.idNumberIdx) ?? []) {
        if (d.programId.toHexString() === t.programId) continue;
        out.set(t.id, [...(out.get(t.id) ?? []), this.toTrainee(d)]);
      }
    }
    return out;
  }

  async list(scope: TenantScope, q: TraineeQuery, page: Page): Promise<{ items: Trainee[]; total: number }> {
    const filter: Record<string, unknown> = { ...scopeFilter(scope, TRAINEE_SCOPE_COLUMNS) };
    if (q.programId) filter.programId = new Types.ObjectId(q.programId);
    if (q.enterpriseId) filter.enterpriseId = new Types.ObjectId(q.enterpriseId);
    if (q.category) filter.category = q.category;
    if (q.status) filter.status = q.status;
    if (q.name) filter.name = { $regex: escapeRegex(q.name) };
    if (q.idNumber) filter.idNumberIdx = this.cipher.index('trainee.idNumber', q.idNumber);
    const [docs, total] = await Promise.all([
      this.model.find(filter).sort({ name: 1, _id: 1 }).skip(page.offset).limit(page.limit).lean<Lean[]>(),
      this.model.countDocuments(filter),
    ]);
    return { items: docs.map((d) => this.toTrainee(d)), total };
  }

  async insert(scope: TenantScope, t: NewTrainee): Promise<Trainee> {
    if (!mayWriteTraineesOf(scope, t.institutionId)) throw AppError.of('FORBIDDEN');
    try {
      const doc = await this.model.create(this.toDoc(t));
      return this.toTrainee(doc.toObject() as Lean);
    } catch (e) {
      if (isDuplicateKey(e)) throw duplicate();
      throw e;
    }
  }

  /**
   * Idempotent by (program, ID number), for roster imports: an identical row changes nothing.
   * A person already enrolled in the program by another institution is a conflict, never overwritten.
   * `previous` is the record as it was when it was updated (what an audit record's `before` says).
   */
  async upsertByIdNumber(scope: TenantScope, t: NewTrainee): Promise<{ outcome: UpsertOutcome; trainee: Trainee; previous?: Trainee }> {
    if (!mayWriteTraineesOf(scope, t.institutionId)) throw AppError.of('FORBIDDEN');
    const existing = await this.existing(t);
    if (!existing) return { outcome: 'created', trainee: await this.insert(scope, t) };
    const current = this.toTrainee(existing);
    if (current.institutionId !== t.institutionId) throw duplicate();
    const changes = changedFields(current, t);
    if (changes.length === 0) return { outcome: 'unchanged', trainee: current };
    const doc = this.toDoc(t);
    const set: Record<string, unknown> = {};
    const unset: Record<string, ''> = {};
    for (const k of changes) {
      const value = doc[docField(k)];
      if (value === undefined) unset[docField(k)] = '';
      else set[docField(k)] = value;
    }
    const updated = await this.model
      .findOneAndUpdate({ _id: existing._id }, { $set: set, $unset: unset }, { returnDocument: 'after', runValidators: true })
      .lean<Lean>();
    return { outcome: 'updated', trainee: this.toTrainee(updated!), previous: current };
  }

  /**
   * {@link upsertByIdNumber} for a chunk of rows of one program (a roster import's commit): one
   * read for the chunk, one insertMany for its new people, an update per changed one. A person of
   * another institution is 'conflict' for that row, nothing is written for it. The ID numbers must
   * be distinct (the roster validator reports repeats).
   */
  async upsertManyByIdNumber(scope: TenantScope, rows: readonly NewTrainee[]): Promise<Array<{ outcome: UpsertOutcome; trainee: Trainee; previous?: Trainee } | 'conflict'>> {
    for (const t of rows) if (!mayWriteTraineesOf(scope, t.institutionId)) throw AppError.of('FORBIDDEN');
    const key = (programId: string, idx: string) => `${programId}:${idx}`;
    const indexOf = (t: NewTrainee) => this.cipher.index('trainee.idNumber', t.idNumber);
    const byProgram = new Map<string, string[]>();
    for (const t of rows) byProgram.set(t.programId, [...(byProgram.get(t.programId) ?? []), indexOf(t)]);
    const existing = new Map<string, Lean>();
    for (const [programId, idxs] of byProgram) {
      for (const d of await this.model.find({ programId: new Types.ObjectId(programId), idNumberIdx: { $in: idxs } }).lean<Lean[]>()) existing.set(key(programId, d.idNumberIdx), d);
    }
    const out: Array<{ outcome: UpsertOutcome; trainee: Trainee; previous?: Trainee } | 'conflict'> = [];
    const fresh: { at: number; doc: Record<string, unknown> }[] = [];
    for (const [i, t] of rows.entries()) {
      const found = existing.get(key(t.programId, indexOf(t)));
      if (!found) {
        fresh.push({ at: i, doc: { _id: new Types.ObjectId(), ...this.toDoc(t) } });
        out.push('conflict'); // replaced below once inserted
        continue;
      }
      const current = this.toTrainee(found);
      if (current.institutionId !== t.institutionId) out.push('conflict');
      else if (changedFields(current, t).length === 0) out.push({ outcome: 'unchanged', trainee: current });
      else out.push(await this.upsertByIdNumber(scope, t));
    }
    if (fresh.length > 0) {
      try {
        const docs = await this.model.insertMany(fresh.map((f) => f.doc), { ordered: true });
        docs.forEach((d, j) => (out[fresh[j].at] = { outcome: 'created', trainee: this.toTrainee(d.toObject() as Lean) }));
      } catch (e) {
        if (isDuplicateKey(e)) throw duplicate();
        throw e;
      }
    }
    return out;
  }

  /**
   * What {@link upsertByIdNumber} would do with the row, without writing: lets an import skip rows
   * that would not change (no transaction for them) before it writes the others.
   */
  async upsertOutcome(scope: TenantScope, t: NewTrainee): Promise<UpsertOutcome | 'conflict'> {
    if (!mayWriteTraineesOf(scope, t.institutionId)) throw AppError.of('FORBIDDEN');
    const existing = await this.existing(t);
    if (!existing) return 'created';
    const current = this.toTrainee(existing);
    if (current.institutionId !== t.institutionId) return 'conflict';
    return changedFields(current, t).length === 0 ? 'unchanged' : 'updated';
  }

  private existing(t: NewTrainee): Promise<Lean | null> {
    return this.model.findOne({ programId: new Types.ObjectId(t.programId), idNumberIdx: this.cipher.index('trainee.idNumber', t.idNumber) }).lean<Lean>().exec();
  }

  /** Links a login to the record once; false when the record is outside the scope or already linked. */
  async linkUser(scope: TenantScope, traineeId: string, userId: string): Promise<boolean> {
    if (!isValidObjectId(traineeId)) return false;
    const res = await this.model.updateOne(
      { ...scopeFilter(scope, TRAINEE_SCOPE_COLUMNS), _id: new Types.ObjectId(traineeId), userId: { $exists: false } },
      { $set: { userId: new Types.ObjectId(userId) } },
    );
    return res.modifiedCount === 1;
  }

  /**
   * Key rotation: rewrites up to `limit` records whose ID number or phone is still encrypted with
   * an older key. Each write is conditional on the ciphertext it read, so a concurrent update
   * wins and is picked up by the next batch. Returns how many records were rewritten; run until 0.
   */
  async reencryptBatch(scope: SystemScope, limit = 500): Promise<number> {
    const current = `v1:${this.cipher.currentKeyId}:`;
    const stale = { $not: { $regex: `^${escapeRegex(current)}` } };
    const docs = await this.model
      .find({ ...scopeFilter(scope, TRAINEE_SCOPE_COLUMNS), $or: [{ idNumberEnc: stale }, { phoneEnc: { $exists: true, ...stale } }] })
      .limit(limit)
      .lean<Lean[]>();
    let rewritten = 0;
    for (const d of docs) {
      const set: Record<string, string> = {
        idNumberEnc: this.cipher.encrypt('trainee.idNumber', this.cipher.decrypt('trainee.idNumber', d.idNumberEnc)),
      };
      if (d.phoneEnc) set.phoneEnc = this.cipher.encrypt('trainee.phone', this.cipher.decrypt('trainee.phone', d.phoneEnc));
      const res = await this.model.updateOne({ _id: d._id, idNumberEnc: d.idNumberEnc, phoneEnc: d.phoneEnc ?? null }, { $set: set });
      rewritten += res.modifiedCount;
    }
    return rewritten;
  }

  private toDoc(t: NewTrainee): Record<string, unknown> {
    return {
      programId: new Types.ObjectId(t.programId),
      name: t.name,
      idNumberEnc: this.cipher.encrypt('trainee.idNumber', t.idNumber),
      idNumberIdx: this.cipher.index('trainee.idNumber', t.idNumber),
      phoneEnc: t.phone === undefined ? undefined : this.cipher.encrypt('trainee.phone', t.phone),
      birthDate: t.birthDate,
      sex: t.sex,
      enterpriseId: new Types.ObjectId(t.enterpriseId),
      enterpriseRegionCode: t.enterpriseRegionCode,
      institutionId: new Types.ObjectId(t.institutionId),
      category: t.category,
      post: t.post,
      status: t.status,
      userId: t.userId === undefined ? undefined : new Types.ObjectId(t.userId),
      demo: t.demo,
    };
  }

  private toTrainee(d: Lean): Trainee {
    return {
      id: d._id.toHexString(),
      programId: d.programId.toHexString(),
      name: d.name,
      idNumber: this.cipher.decrypt('trainee.idNumber', d.idNumberEnc),
      phone: d.phoneEnc ? this.cipher.decrypt('trainee.phone', d.phoneEnc) : undefined,
      birthDate: d.birthDate,
      sex: d.sex as Trainee['sex'],
      enterpriseId: d.enterpriseId.toHexString(),
      enterpriseRegionCode: d.enterpriseRegionCode,
      institutionId: d.institutionId.toHexString(),
      category: d.category,
      post: d.post ?? undefined,
      status: d.status as TraineeStatus,
      userId: d.userId?.toHexString(),
      demo: d.demo,
    };
  }
}

/** Fields an import may change; the ID number and program are the identity and never change. */
const MUTABLE = ['name', 'phone', 'enterpriseId', 'enterpriseRegionCode', 'category', 'post', 'status'] as const;
export type Mutable = (typeof MUTABLE)[number];

export function changedFields(current: Trainee, next: NewTrainee): Mutable[] {
  return MUTABLE.filter((k) => (current[k] ?? undefined) !== (next[k] ?? undefined));
}

function docField(k: Mutable): string {
  return k === 'phone' ? 'phoneEnc' : k;
}
