// mingo publishes its helpers only through package "exports", which this repo's node10 module
// resolution cannot see at type level; the runtime require resolves them normally.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const util: typeof import('mingo/types/util') = require('mingo/util');

export const { isEqual, compare } = util;

/* eslint-disable @typescript-eslint/no-require-imports */
type QueryCtor = new (condition: object, options?: object) => import('mingo').Query;
const { Context } = require('mingo/core') as typeof import('mingo/types/core');
const BaseQuery = (require('mingo/query') as { Query: QueryCtor }).Query;

/**
 * One context with every operator plus ours, built once: passing a custom context to mingo's
 * default Query merges all operator tables on every construction, which dominated query cost.
 */
export function makeQueryClass(extraQueryOps: Record<string, unknown>, options: Record<string, unknown> = {}): (condition: object) => import('mingo').Query {
  const context = Context.init({
    accumulator: require('mingo/operators/accumulator'),
    expression: require('mingo/operators/expression'),
    pipeline: require('mingo/operators/pipeline'),
    projection: require('mingo/operators/projection'),
    query: require('mingo/operators/query'),
    window: require('mingo/operators/window'),
  }).addQueryOps(extraQueryOps as never);
  return (condition) => new BaseQuery(condition, { ...options, context });
}
