// mingo publishes its helpers only through package "exports", which this repo's node10 module
// resolution cannot see at type level; the runtime require resolves them normally.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const util: typeof import('mingo/types/util') = require('mingo/util');

export const { isEqual, compare } = util;
