// The module wires the repository to a real connection, and start-up waits for the unique index.
import { Test } from '@nestjs/testing';
import { MongooseModule, getConnectionToken } from '@nestjs/mongoose';
import { Types, Connection } from 'mongoose';
import { systemScope } from '@app/identity';
import { testDatabase, TestDatabase } from '../../../tests/support/db';
import { LedgerModule } from './ledger.module';
import { LedgerRepository } from './ledger.repository';

let db: TestDatabase;
beforeAll(async () => {
  db = await testDatabase('ledger_module');
});
afterAll(async () => {
  await db?.stop();
});

it('LedgerModule provides a working LedgerRepository', async () => {
  const app = await Test.createTestingModule({
    imports: [MongooseModule.forRoot(db.uri, { dbName: db.dbName }), LedgerModule],
  }).compile();
  await app.init();
  try {
    const repo = app.get(LedgerRepository);
    const id = () => new Types.ObjectId().toHexString();
    const owner = { traineeId: id(), programId: id(), institutionId: id(), regionCode: '370300' };
    const { created } = await repo.append({ ...owner, idempotencyKey: 'm-1', source: 'offline', seconds: 2700, by: 'system', occurredAt: new Date() });
    expect(created).toBe(true);
    expect((await repo.totalsForTrainee(systemScope('账本模块测试：读取刚写入的学时'), owner.traineeId)).bySource.offline).toBe(2700);
    const indexes = await app.get<Connection>(getConnectionToken()).collection('hour_ledger').indexes();
    expect(indexes.some((i) => i.key.idempotencyKey === 1 && i.unique)).toBe(true);
  } finally {
    await app.close();
  }
});
