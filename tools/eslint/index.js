// The repository's own lint rules (plain JS, no build step), registered as the `local` plugin in eslint.config.mjs.
module.exports = {
  meta: { name: 'local' },
  rules: {
    'no-hand-written-scope': require('./no-hand-written-scope'),
    'no-relative-cross-boundary': require('./no-relative-cross-boundary'),
  },
};
