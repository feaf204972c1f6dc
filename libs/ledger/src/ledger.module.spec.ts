// The module wires the repository to a real connection, and start-up waits for the unique index.
import { Test } from '@nestjs/testing';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getConnectionToken } from '@nestjs/mongoose';
import { AuditModule } from '@app/audit';
import { loadConfig, PlatformModule, withDbName } from '@app/platform';
import { Types, Connection } from 'mongoose';
import { systemScope } from '@app/identity';
import { testDatabase, TestDatabase } from '../../../tests/support/db';
import { LedgerModule } from './ledger.module';
import { LedgerBook } from './ledger-book';
import { LedgerRepository } from './ledger.repository';

let db: TestDatabase;
let dataDir: string;
beforeAll(async () => {
  db = await testDatabase('ledger_module');
  dataDir = await mkdtemp(join(tmpdir(), 'gsyf-ledger-'));
});
afterAll(async () => {
  await db?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

it('LedgerModule provides a working ledger whose writes are audited', async () => {
  const config = loadConfig({ NODE_ENV: 'test', MONGODB_URI: withDbName(db.uri, db.dbName), DATA_DIR: dataDir, LOG_LEVEL: 'error', SEED_ON_START: 'never', JOBS_RUN: 'none' });
  const app = await Test.createTestingModule({
    imports: [PlatformModule.forRoot(config), AuditModule, LedgerModule],
  }).compile();
  await app.init();
  try {
    const repo = app.get(LedgerRepository);
    const id = () => new Types.ObjectId().toHexString();
    const owner = { traineeId: id(), programId: id(), institutionId: id(), regionCode: '370300' };
    const { created } = await app.get(LedgerBook).credit({ kind: 'system', reason: '账本模块测试' }, { ...owner, idempotencyKey: 'm-1', source: 'offline', seconds: 2700, by: 'system', occurredAt: new Date() });
    expect(created).toBe(true);
    expect((await repo.totalsForTrainee(systemScope('账本模块测试：读取刚写入的学时'), owner.traineeId)).bySource.offline).toBe(2700);
    const indexes = await app.get<Connection>(getConnectionToken()).collection('hour_ledger').indexes();
    expect(indexes.some((i) => i.key.idempotencyKey === 1 && i.unique)).toBe(true);
    expect(await app.get<Connection>(getConnectionToken()).collection('audit_log').countDocuments({ action: 'ledger.credit' })).toBe(1);
  } finally {
    await app.close();
  }
});
