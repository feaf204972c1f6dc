import { generateKeyPairSync } from 'node:crypto';
import mongoose, { Connection, Schema } from 'mongoose';
import { systemClock } from '@app/platform';
import { testDatabase, TestDatabase } from '../../../tests/support/db';
import { AuditChainStore } from '../src/audit-chain-store';
import { AuditTrail } from '../src/audit-trail';
import { signingKeyFrom } from '../src/checkpoint';

export const TEST_PARTITIONS = 4;

/** A state the specs change through the trail: one small collection, as a use case's would be. */
export const WidgetSchema = new Schema({ _id: Number, name: String, institutionId: String, regionCode: String, version: { type: Number, default: 0 } }, { versionKey: false });

export interface AuditMedium {
  readonly db: TestDatabase;
  readonly conn: Connection;
  readonly trail: AuditTrail;
  readonly store: AuditChainStore;
  readonly widgets: mongoose.Model<{ _id: number; name: string; institutionId?: string; regionCode?: string; version: number }>;
  close(): Promise<void>;
}

export const testSigningKey = () => signingKeyFrom(generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());

export async function auditMedium(name: string): Promise<AuditMedium> {
  const db = await testDatabase(name);
  const conn = await mongoose.createConnection(db.uri, { dbName: db.dbName }).asPromise();
  const trail = new AuditTrail(conn, { writer: 'test', partitions: TEST_PARTITIONS, clock: systemClock });
  await trail.init();
  const widgets = conn.model('Widget', WidgetSchema, 'widgets') as AuditMedium['widgets'];
  await widgets.createCollection();
  const store = new AuditChainStore(conn, testSigningKey(), systemClock);
  return {
    db,
    conn,
    trail,
    store,
    widgets,
    async close() {
      await conn.close();
      await db.stop();
    },
  };
}
