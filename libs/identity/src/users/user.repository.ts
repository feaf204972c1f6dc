import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { isValidObjectId, Model, Types } from 'mongoose';
import { activeSession } from '@app/audit';
import { nowAndAfterTransaction } from '../audit/identity-audit';
import { AuthRevocations } from '../auth/auth-revocations';
import type { Role } from '../auth/role';
import type { NewUser, User, UserWithCredentials } from './user.entity';
import { UserDoc } from './user.schema';

type Lean = UserDoc & { _id: Types.ObjectId };

function toUser(doc: Lean): User {
  return {
    id: doc._id.toHexString(),
    username: doc.username,
    displayName: doc.displayName,
    role: doc.role as Role,
    organisationId: doc.organisationId?.toHexString(),
    mustChangePassword: doc.mustChangePassword,
    disabled: doc.disabled,
    tokenVersion: doc.tokenVersion,
    demo: doc.demo,
  };
}

/**
 * Accounts are not tenant data in the sense of TenantScope: only the auth flow (by id / name)
 * and administrators reach them.
 */
@Injectable()
export class UserRepository {
  constructor(
    @InjectModel(UserDoc.name) private readonly model: Model<UserDoc>,
    private readonly revocations: AuthRevocations,
  ) {}

  /**
   * Read on every socket recheck and HTTP request: straight through the driver, without mongoose's
   * query layer — so inside an audit commit the transaction's session is handed on explicitly.
   */
  async findById(id: string): Promise<User | undefined> {
    if (!isValidObjectId(id)) return undefined;
    const doc = await this.model.collection.findOne({ _id: new Types.ObjectId(id) }, { session: activeSession(this.model.db) });
    return doc ? toUser(doc as unknown as Lean) : undefined;
  }

  async findCredentials(username: string): Promise<UserWithCredentials | undefined> {
    const doc = await this.model.findOne({ username }).lean<Lean>();
    return doc ? { ...toUser(doc), passwordHash: doc.passwordHash } : undefined;
  }

  async findCredentialsById(id: string): Promise<UserWithCredentials | undefined> {
    if (!isValidObjectId(id)) return undefined;
    const doc = await this.model.findById(id).lean<Lean>();
    return doc ? { ...toUser(doc), passwordHash: doc.passwordHash } : undefined;
  }

  async exists(username: string): Promise<boolean> {
    return (await this.model.exists({ username })) !== null;
  }

  /** Throws the driver's duplicate-key error (→ 409) when the name is taken concurrently. */
  async create(user: NewUser): Promise<User> {
    const { organisationId, ...rest } = user;
    const doc = await this.model.create({
      ...rest,
      ...(organisationId ? { organisationId: new Types.ObjectId(organisationId) } : {}),
    });
    return toUser(doc.toObject() as Lean);
  }

  /** New password; every existing token of the user dies with the version bump. */
  async setPassword(id: string, passwordHash: string, mustChangePassword: boolean): Promise<User | undefined> {
    if (!isValidObjectId(id)) return undefined;
    const doc = await this.model
      .findByIdAndUpdate(id, { $set: { passwordHash, mustChangePassword }, $inc: { tokenVersion: 1 } }, { returnDocument: 'after' })
      .lean<Lean>();
    nowAndAfterTransaction(this.model.db, () => this.revocations.userChanged(id));
    return doc ? toUser(doc) : undefined;
  }

  /** Disabling also bumps the token version, so the account's tokens stop working at once. */
  async setDisabled(id: string, disabled: boolean): Promise<User | undefined> {
    if (!isValidObjectId(id)) return undefined;
    const doc = await this.model
      .findByIdAndUpdate(id, { $set: { disabled }, $inc: { tokenVersion: 1 } }, { returnDocument: 'after' })
      .lean<Lean>();
    nowAndAfterTransaction(this.model.db, () => this.revocations.userChanged(id));
    return doc ? toUser(doc) : undefined;
  }

  async list(): Promise<User[]> {
    const docs = await this.model.find().sort({ role: 1, username: 1 }).lean<Lean[]>();
    return docs.map(toUser);
  }
}
