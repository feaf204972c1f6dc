// kill -9 of the writing process in the middle of a stream of audited changes: afterwards every
// committed change has its record, no record exists without its change, the chain verifies, and
// writes resume once the server has reaped the dead client's open transaction.
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { auditMedium, AuditMedium } from '../test-support/audit-medium';
import { AUDIT_LOG } from './audit-trail';

jest.setTimeout(120_000);

let m: AuditMedium;
beforeAll(async () => {
  m = await auditMedium('audit-kill');
  // The dead writer's open transaction keeps its locks until reaped (mongod: 60 s by default).
  await m.conn.db!.admin().command({ setParameter: 1, transactionLifetimeLimitSeconds: 2 });
});
afterAll(async () => {
  await m?.close();
});

async function killMidStream(firstId: number, afterCommits: number): Promise<Set<number>> {
  const root = path.resolve(__dirname, '../../..');
  const child = spawn(process.execPath, ['-r', '@swc-node/register', path.join(__dirname, '../test-support/audit-writer.ts'), m.db.uri, m.db.dbName, String(firstId)], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const committed = new Set<number>();
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  await new Promise<void>((resolve, reject) => {
    let buffered = '';
    child.stdout.on('data', (d: Buffer) => {
      buffered += d.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) if (line.startsWith('committed ')) committed.add(Number(line.slice(10)));
      if (committed.size >= afterCommits) {
        child.kill('SIGKILL');
        resolve();
      }
    });
    child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`writer exited ${code}: ${stderr}`))));
  });
  await new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(undefined) : child.once('exit', resolve)));
  return committed;
}

it('leaves no change without its record and no record without its change', async () => {
  const committed = await killMidStream(1, 150);
  const widgetIds = new Set((await m.widgets.find({}, { _id: 1 }).lean()).map((w) => w._id));
  const recordIds = new Set((await m.conn.collection(AUDIT_LOG).find({ action: 'widget.create' }, { projection: { 'target.id': 1 } }).toArray()).map((r) => Number(r.target.id)));
  for (const id of committed) expect(widgetIds.has(id)).toBe(true);
  expect([...widgetIds].sort((a, b) => a - b)).toEqual([...recordIds].sort((a, b) => a - b));
  // Both writes of each change landed together: no half-applied change either.
  expect(await m.widgets.countDocuments({ version: { $ne: 1 } })).toBe(0);
  expect(await m.store.verify()).toMatchObject({ intact: true, problems: [] });

  // "After restart": a new writer picks up the same chains where the dead one left them.
  const again = await killMidStream(100_000, 40);
  expect(again.size).toBeGreaterThanOrEqual(40);
  const report = await m.store.verify();
  expect(report.problems).toEqual([]);
  expect(report.records).toBe(await m.conn.collection(AUDIT_LOG).countDocuments());
});
