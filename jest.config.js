// Path aliases come from tsconfig so jest and tsc never drift apart.
const { compilerOptions } = require('./tsconfig.json');

const moduleNameMapper = {};
for (const [alias, [target]] of Object.entries(compilerOptions.paths)) {
  moduleNameMapper[`^${alias.replace('/', '\\/')}$`] = `<rootDir>/${target}`;
}

const swc = [
  '@swc/jest',
  {
    // Inline options, not .swcrc (that one also rewrites @app paths for the build).
    swcrc: false,
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];

module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.tsx?$': swc },
  moduleNameMapper,
  // bench/ holds the benchmarks' own arithmetic specs (pure, fast): their figures are only as right as it is.
  roots: ['<rootDir>/libs', '<rootDir>/apps', '<rootDir>/tests', '<rootDir>/bench'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '<rootDir>/apps/web/'],
  testTimeout: 60000,
  reporters: ['default', '<rootDir>/tests/support/summary-reporter.js'],
};
