import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { FieldCipher, scopeFilter, TenantScope } from '@app/identity';
import { Model, Types } from 'mongoose';
import type { Instructor } from '../offline.entity';
import { offlineError } from '../offline.errors';
import type { Employment, InstructorRole, TitleLevel } from '../rules/instructor-checklist';
import { hex, isDuplicateKey, isId, oid } from '@app/platform';
import { INSTITUTION_COLUMNS } from './offline-scope';
import { InstructorDoc } from './offline.schemas';

type Lean = InstructorDoc & { _id: Types.ObjectId };
export type NewInstructor = Omit<Instructor, 'id'>;
export type InstructorPatch = Partial<Omit<Instructor, 'id' | 'institutionId' | 'regionCode' | 'idNumber'>>;

/** Instructors' ID numbers are personal data like trainees': AES-GCM at rest, a blind index for "already registered". */
@Injectable()
export class InstructorRepository {
  constructor(
    @InjectModel(InstructorDoc.name) private readonly model: Model<InstructorDoc>,
    private readonly cipher: FieldCipher,
  ) {}

  async findById(scope: TenantScope, id: string): Promise<Instructor | undefined> {
    if (!isId(id)) return undefined;
    const doc = await this.model.findOne({ ...scopeFilter(scope, INSTITUTION_COLUMNS), _id: oid(id) }).lean<Lean>();
    return doc ? this.toInstructor(doc) : undefined;
  }

  async list(scope: TenantScope, institutionId?: string): Promise<Instructor[]> {
    const filter: Record<string, unknown> = scopeFilter(scope, INSTITUTION_COLUMNS);
    if (institutionId) filter.institutionId = oid(institutionId);
    const docs = await this.model.find(filter).sort({ name: 1, _id: 1 }).lean<Lean[]>();
    return docs.map((d) => this.toInstructor(d));
  }

  async findByIdNumber(institutionId: string, idNumber: string): Promise<Instructor | undefined> {
    const doc = await this.model.findOne({ institutionId: oid(institutionId), idNumberIdx: this.cipher.index('instructor.idNumber', idNumber) }).lean<Lean>();
    return doc ? this.toInstructor(doc) : undefined;
  }

  /**
   * The records of the same person (same ID number) at other institutions: one teacher registered by
   * two institutions is still one person who cannot be in two rooms at once.
   */
  async samePersonElsewhere(instructorId: string): Promise<string[]> {
    const me = await this.model.findById(oid(instructorId), { idNumberIdx: 1, institutionId: 1 }).lean<Lean>();
    if (!me) return [];
    const docs = await this.model.find({ idNumberIdx: me.idNumberIdx, institutionId: { $ne: me.institutionId } }, { _id: 1 }).lean<Lean[]>();
    return docs.map((d) => d._id.toHexString());
  }

  async create(i: NewInstructor): Promise<Instructor> {
    const { idNumber, ...rest } = i;
    try {
      const [doc] = await this.model.create([
        {
          ...rest,
          institutionId: oid(i.institutionId),
          idNumberEnc: this.cipher.encrypt('instructor.idNumber', idNumber),
          idNumberIdx: this.cipher.index('instructor.idNumber', idNumber),
        },
      ]);
      return this.toInstructor(doc.toObject() as Lean);
    } catch (e) {
      if (isDuplicateKey(e)) throw offlineError('INSTRUCTOR_DUPLICATE');
      throw e;
    }
  }

  async update(id: string, patch: InstructorPatch): Promise<Instructor> {
    const doc = await this.model.findOneAndUpdate({ _id: oid(id) }, { $set: patch }, { returnDocument: 'after', runValidators: true }).lean<Lean>();
    return this.toInstructor(doc!);
  }

  private toInstructor(d: Lean): Instructor {
    return {
      id: d._id.toHexString(),
      institutionId: hex(d.institutionId)!,
      regionCode: d.regionCode,
      name: d.name,
      idNumber: this.cipher.decrypt('instructor.idNumber', d.idNumberEnc),
      role: d.role as InstructorRole,
      employment: d.employment as Employment,
      title: d.title,
      titleLevel: d.titleLevel as TitleLevel,
      specialty: d.specialty ?? '',
      safetyMajor: d.safetyMajor ?? false,
      safetyTeacher: d.safetyTeacher ?? false,
      yearsOfPractice: d.yearsOfPractice,
      active: d.active ?? true,
    };
  }
}
