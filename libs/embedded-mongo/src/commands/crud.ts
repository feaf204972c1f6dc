import { Document, Long } from 'bson';
import { CommandContext, Engine } from '../engine';
import { CommandError, ErrorCodes } from '../errors';
import { deleteOp, findAndModifyOp, insertOp, updateOp } from '../ops/writes';
import { keepIf, pullAll } from '../query/cursor';
import { findSource, projector } from '../query/find';
import { compileFilter } from '../query/view';
import { pathValues } from '../storage/keys';
import { idKeyOf } from '../query/view';
import { hintOrder, runAggregate } from './aggregate';

export function collName(ctx: CommandContext): string {
  const v = ctx.cmd[ctx.name];
  if (typeof v !== 'string' || v.length === 0) {
    throw new CommandError(ErrorCodes.InvalidNamespace, `collection name has invalid type ${typeof v}`);
  }
  return v;
}

function docsArg(ctx: CommandContext, field: string): Document[] {
  const v = ctx.cmd[field];
  if (!Array.isArray(v)) throw new CommandError(ErrorCodes.FailedToParse, `BSON field '${ctx.name}.${field}' is missing but a required field`);
  return v as Document[];
}

function optNumber(v: unknown): number | undefined {
  if (v === undefined || v === null) return undefined;
  const n = typeof v === 'object' ? Number((v as Long).toString()) : Number(v);
  return Number.isFinite(n) ? n : undefined;
}

function cursorIdOf(v: unknown): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return BigInt(v);
  if (v && typeof (v as Long).toBigInt === 'function') return (v as Long).toBigInt();
  throw new CommandError(ErrorCodes.TypeMismatch, 'cursor id must be a long');
}

export function registerCrud(engine: Engine): void {
  engine.register(['insert'], {
    inTxn: true,
    retryableWrite: true,
    handler: (ctx) => {
      const coll = collName(ctx);
      const docs = docsArg(ctx, 'documents');
      return ctx.engine.write(ctx, (t) => insertOp(t, ctx.db, coll, docs, ctx.cmd.ordered !== false, !!ctx.cmd.bypassDocumentValidation));
    },
  });

  engine.register(['update'], {
    inTxn: true,
    retryableWrite: true,
    handler: (ctx) => {
      const coll = collName(ctx);
      const updates = docsArg(ctx, 'updates');
      return ctx.engine.write(ctx, (t) => updateOp(t, ctx.db, coll, updates, ctx.cmd.ordered !== false, !!ctx.cmd.bypassDocumentValidation));
    },
  });

  engine.register(['delete'], {
    inTxn: true,
    retryableWrite: true,
    handler: (ctx) => {
      const coll = collName(ctx);
      const deletes = docsArg(ctx, 'deletes');
      return ctx.engine.write(ctx, (t) => deleteOp(t, ctx.db, coll, deletes, ctx.cmd.ordered !== false));
    },
  });

  engine.register(['findAndModify', 'findandmodify'], {
    inTxn: true,
    retryableWrite: true,
    handler: (ctx) => {
      const coll = collName(ctx);
      const project = projector(ctx.cmd.query ?? {}, ctx.cmd.fields);
      return ctx.engine.write(ctx, (t) => ({ reply: findAndModifyOp(t, ctx.db, coll, ctx.cmd, (d) => project([d])[0]) }));
    },
  });

  engine.register(['find'], {
    inTxn: true,
    handler: async (ctx) => {
      const coll = collName(ctx);
      const namespace = `${ctx.db}.${coll}`;
      let limit = optNumber(ctx.cmd.limit);
      let batchSize = optNumber(ctx.cmd.batchSize);
      if (ctx.cmd.singleBatch && limit === undefined) limit = batchSize;
      if (limit !== undefined && limit < 0) {
        limit = -limit;
        batchSize = limit;
      }
      // Only a cursor that outlives its first batch needs its own pinned snapshot; a single-batch
      // find (findOne) reads through lmdb's shared read transaction, which also reuses its cursor.
      const oneBatch = ctx.cmd.singleBatch === true || limit === 1;
      const { view, done } = oneBatch ? { view: ctx.engine.view(ctx), done: undefined } : ctx.engine.snapshotView(ctx);
      const meta = view.coll(namespace);
      const source = findSource(
        view,
        meta,
        {
          filter: (ctx.cmd.filter ?? {}) as Document,
          sort: ctx.cmd.sort ?? (meta ? hintOrder(meta, ctx.cmd.hint) : undefined),
          projection: ctx.cmd.projection,
          skip: optNumber(ctx.cmd.skip),
          limit,
          deadline: optNumber(ctx.cmd.maxTimeMS) ? Date.now() + optNumber(ctx.cmd.maxTimeMS)! : undefined,
          collation: ctx.cmd.collation,
        },
        done,
      );
      const reply = await ctx.engine.cursors.open(namespace, source, batchSize);
      if (ctx.cmd.singleBatch && (reply.cursor as Document).id.toString() !== '0') {
        ctx.engine.cursors.kill(BigInt((reply.cursor as Document).id.toString()));
        (reply.cursor as Document).id = Long.ZERO;
      }
      return reply;
    },
  });

  engine.register(['getMore'], {
    inTxn: true,
    handler: (ctx) => {
      const coll = ctx.cmd.collection;
      if (typeof coll !== 'string') throw new CommandError(ErrorCodes.FailedToParse, "BSON field 'getMore.collection' is missing but a required field");
      return ctx.engine.cursors.getMore(cursorIdOf(ctx.cmd.getMore), `${ctx.db}.${coll}`, optNumber(ctx.cmd.batchSize));
    },
  });

  engine.register(['killCursors'], {
    inTxn: true,
    handler: (ctx) => {
      const killed: Long[] = [];
      const notFound: Long[] = [];
      for (const raw of (ctx.cmd.cursors ?? []) as unknown[]) {
        const id = cursorIdOf(raw);
        (ctx.engine.cursors.kill(id) ? killed : notFound).push(Long.fromBigInt(id));
      }
      return { cursorsKilled: killed, cursorsNotFound: notFound, cursorsAlive: [], cursorsUnknown: [], ok: 1 };
    },
  });

  engine.register(['count'], {
    inTxn: true,
    handler: async (ctx) => {
      const coll = collName(ctx);
      const view = ctx.engine.view(ctx);
      const meta = view.coll(`${ctx.db}.${coll}`);
      if (!meta) return { n: 0, ok: 1 };
      const query = (ctx.cmd.query ?? {}) as Document;
      const skip = optNumber(ctx.cmd.skip) ?? 0;
      const limit = Math.abs(optNumber(ctx.cmd.limit) ?? 0);
      let n: number;
      if (Object.keys(query).length === 0 && !ctx.txn) n = ctx.engine.store.countDocs(meta.id);
      else {
        const test = compileFilter(query);
        const c = view.candidates(meta, query);
        n = (await pullAll(keepIf(c.iter, (r) => test(r.doc)))).length;
      }
      n = Math.max(0, n - skip);
      if (limit) n = Math.min(n, limit);
      return { n, ok: 1 };
    },
  });

  engine.register(['distinct'], {
    inTxn: true,
    handler: async (ctx) => {
      const coll = collName(ctx);
      const key = ctx.cmd.key;
      if (typeof key !== 'string') throw new CommandError(ErrorCodes.TypeMismatch, "BSON field 'distinct.key' is the wrong type, expected type 'string'");
      const view = ctx.engine.view(ctx);
      const meta = view.coll(`${ctx.db}.${coll}`);
      if (!meta) return { values: [], ok: 1 };
      const query = (ctx.cmd.query ?? {}) as Document;
      const test = compileFilter(query);
      const c = view.candidates(meta, query);
      const seen = new Map<string, unknown>();
      const refs = await pullAll(keepIf(c.iter, (r) => test(r.doc)));
      for (const { doc: d } of refs) {
        for (const v of pathValues(d, key)) {
          if (v === null && !hasValueAt(d, key)) continue;
          const k = idKeyOf(v) + (typeof v === 'object' && v !== null ? JSON.stringify(v) : '');
          if (!seen.has(k)) seen.set(k, v);
        }
      }
      return { values: [...seen.values()], ok: 1 };
    },
  });

  engine.register(['aggregate'], { inTxn: true, handler: runAggregate });
}

function hasValueAt(doc: Document, path: string): boolean {
  let cur: unknown = doc;
  for (const p of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return false;
    if (Array.isArray(cur)) return true;
    cur = (cur as Document)[p];
  }
  return cur !== undefined;
}
