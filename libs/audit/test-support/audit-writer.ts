// A stand-in for the API under `kill -9`: an endless stream of audited changes, four at a time,
// printing each id only after its commit resolved. The spec kills it mid-stream.
import mongoose from 'mongoose';
import { systemClock } from '@app/platform';
import { AuditTrail } from '../src/audit-trail';
import { TEST_PARTITIONS, WidgetSchema } from './audit-medium';

async function main(): Promise<void> {
  const [uri, dbName, firstId] = process.argv.slice(2);
  const conn = await mongoose.createConnection(uri, { dbName }).asPromise();
  const trail = new AuditTrail(conn, { writer: 'killed', partitions: TEST_PARTITIONS, clock: systemClock });
  await trail.init();
  const widgets = conn.model('Widget', WidgetSchema, 'widgets');
  let next = Number(firstId);
  const actor = { kind: 'system', reason: 'kill -9 test' } as const;
  const lane = async (): Promise<never> => {
    for (;;) {
      const id = next++;
      const institutionId = `inst-${id % 7}`;
      for (;;) {
        try {
          await trail.commit(actor, async (tx) => {
            await widgets.create({ _id: id, name: `k${id}`, institutionId });
            await widgets.updateOne({ _id: id }, { $inc: { version: 1 } });
            tx.record({ action: 'widget.create', target: { type: 'widget', id: String(id) }, tenant: { institutionId }, after: { name: `k${id}` } });
          });
          break;
        } catch (e) {
          // What an API client does with the 503: wait and send the change again (the earlier writer's locks are being reaped).
          if ((e as { code?: unknown }).code !== 'AUDIT_COMMIT_CONFLICT') throw e;
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
      }
      process.stdout.write(`committed ${id}\n`);
    }
  };
  await Promise.all([lane(), lane(), lane(), lane()]);
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
