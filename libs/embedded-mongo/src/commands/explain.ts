import { Document } from 'bson';
import { CommandContext, Engine } from '../engine';
import { CommandError, ErrorCodes } from '../errors';
import { findSource } from '../query/find';
import { Plan } from '../query/planner';
import { ScanStats, StoreView } from '../query/view';
import { SERVER_VERSION } from './handshake';

function stageOf(p: Plan | undefined): Document {
  if (!p) return { stage: 'EOF' };
  if (p.kind === 'ids') return { stage: 'IDHACK' };
  if (p.kind === 'collscan') return { stage: 'COLLSCAN', direction: p.reverse ? 'backward' : 'forward' };
  return {
    stage: 'FETCH',
    inputStage: {
      stage: 'IXSCAN',
      keyPattern: p.index.spec.key,
      indexName: p.index.spec.name,
      isMultiKey: p.index.multikey,
      isUnique: !!p.index.spec.unique,
      direction: p.reverse ? 'backward' : 'forward',
    },
  };
}

/**
 * explain for find/count/distinct/aggregate/update/delete: the plan our planner picks and, for
 * executionStats, the real key/document counts of running it (mongod's explain-results shape).
 */
export function registerExplain(engine: Engine): void {
  engine.register(['explain'], {
    handler: async (ctx: CommandContext) => {
      const inner = ctx.cmd.explain as Document;
      if (!inner || typeof inner !== 'object') throw new CommandError(ErrorCodes.FailedToParse, 'explain command requires a nested object');
      const name = Object.keys(inner)[0];
      const coll = String(inner[name]);
      const namespace = `${ctx.db}.${coll}`;
      let filter: Document;
      let sort: Document | undefined;
      if (name === 'find') ({ filter = {}, sort } = inner as { filter?: Document; sort?: Document });
      else if (name === 'count' || name === 'distinct') filter = (inner.query ?? {}) as Document;
      else if (name === 'aggregate') filter = (((inner.pipeline as Document[]) ?? [])[0]?.$match ?? {}) as Document;
      else if (name === 'update') filter = ((inner.updates as Document[])?.[0]?.q ?? {}) as Document;
      else if (name === 'delete') filter = ((inner.deletes as Document[])?.[0]?.q ?? {}) as Document;
      else if (name === 'findAndModify' || name === 'findandmodify') filter = (inner.query ?? {}) as Document;
      else throw new CommandError(ErrorCodes.CommandNotFound, `explain is not supported for '${name}'`);
      const stats: ScanStats = { keys: 0, docs: 0 };
      const view = new StoreView(ctx.engine.store, {}, stats);
      const meta = view.coll(namespace);
      const started = Date.now();
      const source = findSource(view, meta, { filter, sort, skip: inner.skip, limit: inner.limit, projection: inner.projection });
      const out: Document[] = [];
      for (;;) {
        const { docs, done } = await source.next(10_000);
        out.push(...docs);
        if (done) break;
      }
      source.close();
      const winningPlan = stageOf(stats.plan);
      const reply: Document = {
        explainVersion: '1',
        queryPlanner: { namespace, indexFilterSet: false, parsedQuery: filter, winningPlan, rejectedPlans: [] },
        serverInfo: { host: ctx.engine.info.host, port: ctx.engine.info.port, version: SERVER_VERSION },
        command: inner,
        ok: 1,
      };
      if (ctx.cmd.verbosity !== 'queryPlanner') {
        reply.executionStats = {
          executionSuccess: true,
          nReturned: out.length,
          executionTimeMillis: Date.now() - started,
          totalKeysExamined: stats.keys,
          totalDocsExamined: stats.docs,
          executionStages: { ...winningPlan, nReturned: out.length, docsExamined: stats.docs },
        };
      }
      return reply;
    },
  });
}
