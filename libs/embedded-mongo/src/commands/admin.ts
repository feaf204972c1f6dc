import { Binary, Document } from 'bson';
import { CommandContext, Engine } from '../engine';
import { CommandError, ErrorCodes } from '../errors';
import { arraySource } from '../query/cursor';
import { StoreView, compileFilter } from '../query/view';
import { docKey } from '../storage/keys';
import { CollMeta, ID_INDEX_NAME, IndexSpec, defaultIndexName, splitNs } from '../storage/catalog';
import { isEqual } from '../mingo-util';
import { collName } from './crud';

const INDEX_OPTIONS = ['unique', 'sparse', 'partialFilterExpression', 'expireAfterSeconds', 'collation', 'weights', 'default_language', 'language_override', 'textIndexVersion', '2dsphereIndexVersion', 'bits', 'min', 'max', 'hidden', 'wildcardProjection'];

function validName(name: string): void {
  if (!name || name.includes('$') || name.includes('\u0000') || name.startsWith('.') || name.startsWith('system.')) {
    throw new CommandError(ErrorCodes.InvalidNamespace, `Invalid collection name: ${name}`);
  }
}

function indexInfo(meta: CollMeta): Document[] {
  return meta.indexes.map((ix) => {
    const { v, key, name, ...rest } = ix.spec;
    return { v, key, name, ...rest };
  });
}

/** Compares the options that make two index specs "the same index" for mongod. */
function sameOptions(a: IndexSpec, b: IndexSpec): boolean {
  return INDEX_OPTIONS.every((o) => isEqual(a[o] ?? null, b[o] ?? null) || (o === 'unique' && !a[o] === !b[o]));
}

function normalizeIndexSpec(raw: Document): IndexSpec {
  if (typeof raw.key !== 'object' || raw.key === null || Object.keys(raw.key).length === 0) {
    throw new CommandError(ErrorCodes.CannotCreateIndex, "Error in specification { key: {} } :: caused by :: The 'key' field must be a non-empty object");
  }
  const key: Document = {};
  for (const [f, d] of Object.entries(raw.key as Document)) key[f] = typeof d === 'object' && d !== null && 'valueOf' in d ? Number(d) : d;
  const spec: IndexSpec = { v: 2, key, name: typeof raw.name === 'string' ? raw.name : defaultIndexName(key) };
  for (const o of INDEX_OPTIONS) if (raw[o] !== undefined) spec[o] = raw[o];
  if (spec.unique === false) delete spec.unique;
  if (spec.sparse === false) delete spec.sparse;
  if (spec.expireAfterSeconds !== undefined) spec.expireAfterSeconds = Number(spec.expireAfterSeconds);
  return spec;
}

export function registerAdmin(engine: Engine): void {
  engine.register(['create'], {
    inTxn: true,
    handler: async (ctx) => {
      const name = collName(ctx);
      validName(name);
      const { create: _c, lsid: _l, $db: _d, txnNumber: _t, autocommit: _a, startTransaction: _s, writeConcern: _w, $clusterTime: _ct, ...options } = ctx.cmd;
      if (options.capped !== undefined && typeof options.capped !== 'boolean') {
        throw new CommandError(ErrorCodes.TypeMismatch, `BSON field 'create.capped' is the wrong type '${typeof options.capped}', expected type 'bool'`);
      }
      if (options.capped && options.size === undefined) throw new CommandError(ErrorCodes.InvalidOptions, 'the \'size\' field is required when \'capped\' is true');
      await ctx.engine.store.write((w) => {
        const existing = w.getColl(`${ctx.db}.${name}`);
        // mongod accepts re-creating an identical collection (create is idempotent for same options).
        if (existing && Object.keys(options).length === 0) throw new CommandError(ErrorCodes.NamespaceExists, `Collection ${ctx.db}.${name} already exists.`);
        if (!existing) w.createColl(ctx.db, name, options);
      });
      return { ok: 1 };
    },
  });

  engine.register(['drop'], {
    handler: async (ctx) => {
      const name = collName(ctx);
      const meta = ctx.engine.store.getColl(`${ctx.db}.${name}`);
      if (!meta) return { ok: 1 };
      await ctx.engine.store.write((w) => {
        const m = w.getColl(`${ctx.db}.${name}`);
        if (m) w.dropColl(m);
      });
      return { nIndexesWas: meta.indexes.length, ns: `${ctx.db}.${name}`, ok: 1 };
    },
  });

  engine.register(['dropDatabase'], {
    handler: async (ctx) => {
      await ctx.engine.store.write((w) => {
        for (const m of ctx.engine.store.listColls(ctx.db)) {
          const cur = w.getColl(`${m.db}.${m.name}`);
          if (cur) w.dropColl(cur);
        }
      });
      return { dropped: ctx.db, ok: 1 };
    },
  });

  engine.register(['listCollections'], {
    inTxn: true,
    handler: (ctx) => {
      const filter = (ctx.cmd.filter ?? {}) as Document;
      const test = compileFilter(filter);
      const infos = ctx.engine.store
        .listColls(ctx.db)
        .map((m) => {
          const isView = !!m.options.viewOn;
          const info: Document = {
            name: m.name,
            type: isView ? 'view' : m.options.timeseries ? 'timeseries' : 'collection',
            options: m.options,
            info: { readOnly: isView, uuid: new Binary(Buffer.from(m.uuidHex, 'hex'), 4) },
          };
          if (!isView) info.idIndex = { v: 2, key: { _id: 1 }, name: ID_INDEX_NAME };
          return info;
        })
        .filter(test)
        .map((i) => (ctx.cmd.nameOnly ? { name: i.name, type: i.type } : i));
      return ctx.engine.cursors.open(`${ctx.db}.$cmd.listCollections`, arraySource(infos), Number((ctx.cmd.cursor as Document | undefined)?.batchSize ?? 0) || Number.MAX_SAFE_INTEGER);
    },
  });

  engine.register(['listIndexes'], {
    inTxn: true,
    handler: (ctx) => {
      const name = collName(ctx);
      const meta = ctx.engine.store.getColl(`${ctx.db}.${name}`);
      if (!meta) throw new CommandError(ErrorCodes.NamespaceNotFound, `ns does not exist: ${ctx.db}.${name}`);
      return ctx.engine.cursors.open(`${ctx.db}.${name}`, arraySource(indexInfo(meta)), Number((ctx.cmd.cursor as Document | undefined)?.batchSize ?? 0) || Number.MAX_SAFE_INTEGER);
    },
  });

  engine.register(['createIndexes'], {
    inTxn: true,
    handler: async (ctx) => {
      const name = collName(ctx);
      validName(name);
      const specs = ((ctx.cmd.indexes ?? []) as Document[]).map(normalizeIndexSpec);
      if (specs.length === 0) throw new CommandError(ErrorCodes.BadValue, 'Must specify at least one index to create');
      return ctx.engine.store.write((w) => {
        let meta = w.ensureColl(ctx.db, name);
        const before = meta.indexes.length;
        let created = 0;
        for (const spec of specs) {
          const sameName = meta.indexes.find((i) => i.spec.name === spec.name);
          const sameKey = meta.indexes.find((i) => isEqual(i.spec.key, spec.key) && JSON.stringify(Object.keys(i.spec.key)) === JSON.stringify(Object.keys(spec.key)));
          if (sameName) {
            if (!isEqual(sameName.spec.key, spec.key)) {
              throw new CommandError(ErrorCodes.IndexKeySpecsConflict, `An existing index has the same name as the requested index. When index names are not specified, they are auto generated and can cause conflicts. Please refer to our documentation. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(sameName.spec)}`);
            }
            if (!sameOptions(sameName.spec, spec) && spec.name !== ID_INDEX_NAME) {
              throw new CommandError(ErrorCodes.IndexOptionsConflict, `An equivalent index already exists with the same name but different options. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(sameName.spec)}`);
            }
            continue;
          }
          if (sameKey && sameOptions(sameKey.spec, spec)) {
            throw new CommandError(ErrorCodes.IndexOptionsConflict, `Index already exists with a different name: ${sameKey.spec.name}`);
          }
          meta = w.createIndex(meta, spec);
          created++;
        }
        const reply: Document = { numIndexesBefore: before, numIndexesAfter: before + created, createdCollectionAutomatically: before === 0, ok: 1 };
        if (created === 0) reply.note = 'all indexes already exist';
        return reply;
      }, true);
    },
  });

  engine.register(['dropIndexes', 'deleteIndexes'], {
    handler: async (ctx) => {
      const name = collName(ctx);
      const meta = ctx.engine.store.getColl(`${ctx.db}.${name}`);
      if (!meta) throw new CommandError(ErrorCodes.NamespaceNotFound, `ns not found ${ctx.db}.${name}`);
      const which = ctx.cmd.index;
      await ctx.engine.store.write((w) => {
        let m = w.getColl(`${ctx.db}.${name}`)!;
        let names: string[];
        if (which === '*') names = m.indexes.filter((i) => i.spec.name !== ID_INDEX_NAME).map((i) => i.spec.name);
        else if (Array.isArray(which)) names = which as string[];
        else if (typeof which === 'string') names = [which];
        else {
          const ix = m.indexes.find((i) => isEqual(i.spec.key, which));
          if (!ix) throw new CommandError(ErrorCodes.IndexNotFound, `can't find index with key: ${JSON.stringify(which)}`);
          names = [ix.spec.name];
        }
        for (const n of names) {
          if (n === ID_INDEX_NAME) throw new CommandError(ErrorCodes.InvalidOptions, 'cannot drop _id index');
          m = w.dropIndex(m, n);
        }
      }, true);
      return { nIndexesWas: meta.indexes.length, ok: 1 };
    },
  });

  engine.register(['renameCollection'], {
    handler: async (ctx) => {
      const from = splitNs(String(ctx.cmd.renameCollection));
      const to = splitNs(String(ctx.cmd.to));
      validName(to.coll);
      await ctx.engine.store.write((w) => {
        const meta = w.getColl(`${from.db}.${from.coll}`);
        if (!meta) throw new CommandError(ErrorCodes.NamespaceNotFound, 'source namespace does not exist');
        const target = w.getColl(`${to.db}.${to.coll}`);
        if (target) {
          if (!ctx.cmd.dropTarget) throw new CommandError(ErrorCodes.NamespaceExists, 'target namespace exists');
          w.dropColl(target);
        }
        w.renameColl(meta, to.db, to.coll);
      });
      return { ok: 1 };
    },
  });

  engine.register(['collMod'], {
    handler: async (ctx) => {
      const name = collName(ctx);
      const meta = ctx.engine.store.getColl(`${ctx.db}.${name}`);
      if (!meta) throw new CommandError(ErrorCodes.NamespaceNotFound, `ns does not exist: ${ctx.db}.${name}`);
      const validation = Object.fromEntries(['validator', 'validationLevel', 'validationAction'].filter((k) => ctx.cmd[k] !== undefined).map((k) => [k, ctx.cmd[k]]));
      if (Object.keys(validation).length) {
        await ctx.engine.store.write((w) => {
          const m = w.getColl(`${ctx.db}.${name}`)!;
          w.updateColl({ ...m, options: { ...m.options, ...validation } });
        });
      }
      const change = ctx.cmd.index as Document | undefined;
      if (change) {
        await ctx.engine.store.write((w) => {
          const m = w.getColl(`${ctx.db}.${name}`)!;
          const ix = m.indexes.find((i) => i.spec.name === change.name || isEqual(i.spec.key, change.keyPattern));
          if (!ix) throw new CommandError(ErrorCodes.IndexNotFound, 'cannot find index');
          if (change.expireAfterSeconds !== undefined) ix.spec.expireAfterSeconds = Number(change.expireAfterSeconds);
          if (change.hidden !== undefined) ix.spec.hidden = change.hidden;
          w.updateColl(m);
        });
      }
      return { ok: 1 };
    },
  });

  engine.register(['listDatabases'], {
    handler: (ctx) => {
      const dbs = ctx.engine.store.databases().map((name) => ({ name, sizeOnDisk: 0, empty: false }));
      const filter = (ctx.cmd.filter ?? {}) as Document;
      const test = compileFilter(filter);
      const list = dbs.filter(test).map((d) => (ctx.cmd.nameOnly ? { name: d.name } : d));
      return { databases: list, totalSize: 0, ok: 1 };
    },
  });

  engine.register(['collStats', 'dataSize'], {
    handler: (ctx) => {
      const name = collName(ctx);
      const meta = ctx.engine.store.getColl(`${ctx.db}.${name}`);
      const count = meta ? ctx.engine.store.countDocs(meta.id) : 0;
      return { ns: `${ctx.db}.${name}`, count, size: 0, storageSize: 0, nindexes: meta?.indexes.length ?? 0, totalIndexSize: 0, indexSizes: {}, ok: 1 };
    },
  });

  engine.register(['dbStats'], {
    handler: (ctx) => {
      const colls = ctx.engine.store.listColls(ctx.db);
      const objects = colls.reduce((n, m) => n + ctx.engine.store.countDocs(m.id), 0);
      return { db: ctx.db, collections: colls.length, views: 0, objects, dataSize: 0, storageSize: 0, indexes: colls.reduce((n, m) => n + m.indexes.length, 0), indexSize: 0, ok: 1 };
    },
  });

  engine.register(['commitTransaction'], {
    inTxn: true,
    handler: async (ctx: CommandContext) => {
      const txn = ctx.txn!;
      if (txn.state === 'committed') return { ok: 1 };
      await txn.commit();
      return { ok: 1 };
    },
  });

  engine.register(['abortTransaction'], {
    inTxn: true,
    handler: (ctx: CommandContext) => {
      const txn = ctx.txn!;
      if (txn.state === 'committed') throw new CommandError(256, 'Transaction has been committed.');
      txn.abort();
      return { ok: 1 };
    },
  });

  engine.every(() => expireTtl(engine));
}

/** TTL monitor: deletes documents whose indexed date is older than expireAfterSeconds. */
async function expireTtl(engine: Engine): Promise<void> {
  const now = Date.now();
  for (const meta of [...engine.store.colls.values()]) {
    const rules = meta.indexes
      .filter((ix) => ix.spec.expireAfterSeconds !== undefined && ix.fields.length === 1)
      .map((ix) => ({ field: ix.fields[0], seconds: Number(ix.spec.expireAfterSeconds) }));
    // Time-series collections expire on their timeField (no buckets here, so per document).
    const ts = meta.options.timeseries as Document | undefined;
    if (ts?.timeField && meta.options.expireAfterSeconds !== undefined) rules.push({ field: String(ts.timeField), seconds: Number(meta.options.expireAfterSeconds) });
    for (const rule of rules) {
      const filter = { [rule.field]: { $lte: new Date(now - rule.seconds * 1000) } };
      const test = compileFilter(filter);
      const probe = new StoreView(engine.store);
      let any = false;
      for (const r of probe.candidates(meta, filter).iter) if (test(r.doc)) { any = true; break; }
      if (!any) continue;
      await engine.store.write((w) => {
        const m = w.getColl(`${meta.db}.${meta.name}`);
        if (!m) return;
        const victims = [];
        for (const r of new StoreView(engine.store).candidates(m, filter).iter) if (test(r.doc)) victims.push(r);
        for (const r of victims) w.remove(m, docKey(m.id, r.id), r.doc);
      });
    }
  }
}
