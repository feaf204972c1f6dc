import { Document } from 'bson';
import * as vm from 'vm';
import { CommandError } from '../errors';

/** mongod's MaxTimeMSExpired. */
export function maxTimeExpired(): CommandError {
  return new CommandError(50, 'operation exceeded time limit');
}

const PER_DOCUMENT_TIMEOUT_MS = 1000;
/** sleep() inside $where really waits only this long; beyond the command's maxTimeMS it fails at once. */
const MAX_REAL_SLEEP_MS = 50;

/**
 * `$where` given as a string or BSON Code (mingo only accepts JS functions): compiled in a
 * separate vm context and run per document with a timeout, so a runaway script cannot hang the
 * server. `sleep(ms)` is provided as in mongod's server-side JS.
 */
export function compileWhere(code: unknown, deadline?: number): (this: Document) => boolean {
  const source = typeof code === 'string' ? code : typeof (code as { code?: unknown })?.code === 'string' ? (code as { code: string }).code : undefined;
  if (source === undefined) return code as (this: Document) => boolean;
  const sandbox: Record<string, unknown> = {
    __doc: null,
    sleep(ms: number): null {
      if (deadline !== undefined && Date.now() + Number(ms) > deadline) throw maxTimeExpired();
      const until = Date.now() + Math.min(Number(ms) || 0, MAX_REAL_SLEEP_MS);
      while (Date.now() < until) {
        /* busy wait: mongod's sleep blocks the script too */
      }
      return null;
    },
  };
  const ctx = vm.createContext(sandbox);
  const trimmed = source.trim();
  const fnSource = /^function\b/.test(trimmed) ? `(${trimmed})` : `(function () { return (${trimmed}); })`;
  try {
    sandbox.__fn = vm.runInContext(fnSource, ctx, { timeout: PER_DOCUMENT_TIMEOUT_MS });
  } catch (e) {
    throw new CommandError(2, `$where 脚本无法编译 ($where script does not compile): ${(e as Error).message}`);
  }
  const call = new vm.Script('__fn.call(__doc)');
  return function (this: Document): boolean {
    sandbox.__doc = this;
    try {
      return Boolean(call.runInContext(ctx, { timeout: PER_DOCUMENT_TIMEOUT_MS }));
    } catch (e) {
      if (e instanceof CommandError) throw e;
      throw new CommandError(139, `$where 脚本执行失败 ($where script failed): ${(e as Error).message}`);
    }
  };
}
