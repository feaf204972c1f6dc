// The repository's own lint rules (tools/eslint), run through the real eslint.config.mjs over
// fixture snippets: each rule must fire on the bad fixture and stay silent on the good one.
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const SCOPE_RULE = 'local/no-hand-written-scope';
const IMPORT_RULE = 'local/no-relative-cross-boundary';
const LOCAL_RULES = new Set([SCOPE_RULE, IMPORT_RULE]);

interface Fixture {
  name: string;
  filePath: string;
  code: string;
  /** The local rules expected to report, with their severity (2 error, 1 warning); empty when none may. */
  expected: [string, 1 | 2][];
}

const scopeFixtures: Fixture[] = [
  { name: "a literal { kind: 'all' }", filePath: 'libs/ledger/src/fixture.ts', code: "export const s = { kind: 'all' };\n", expected: [[SCOPE_RULE, 2]] },
  {
    name: 'an institution scope hidden behind a cast',
    filePath: 'apps/api/src/study/fixture.ts',
    code: "import type { TenantScope } from '@app/identity';\nexport const s = { kind: 'institution', institutionId: 'x', regionCode: '230700' } as unknown as TenantScope;\n",
    expected: [[SCOPE_RULE, 2]],
  },
  { name: "a self scope with 'self' as const", filePath: 'bench/fixture.ts', code: "export const s = (userId: string) => ({ kind: 'self' as const, userId });\n", expected: [[SCOPE_RULE, 2]] },
  {
    name: 'a jurisdiction scope with a quoted key and a template string',
    filePath: 'tests/e2e/fixture.spec.ts',
    code: "export const s = { 'kind': `jurisdiction`, regionPrefix: '23' };\n",
    expected: [[SCOPE_RULE, 2]],
  },
  {
    name: 'libs/study, until its rewrite lands: a warning, not an error',
    filePath: 'libs/study/src/session/fixture.ts',
    code: "export const s = { kind: 'all' };\n",
    expected: [[SCOPE_RULE, 1]],
  },
  {
    name: "an organisation of kind 'institution' (no institutionId: not a scope)",
    filePath: 'libs/identity/src/seed/fixture.ts',
    code: "export const org = { kind: 'institution', name: '伊春示范安全培训中心', regionCode: '230700' };\n",
    expected: [],
  },
  {
    name: 'scopes from the factories',
    filePath: 'libs/ledger/src/fixture.ts',
    code: "import { AuthUser, systemScope, tenantScopeOf } from '@app/identity';\nexport const a = systemScope('原因');\nexport const b = (u: AuthUser) => tenantScopeOf(u);\n",
    expected: [],
  },
  {
    name: 'the factories themselves',
    filePath: 'libs/identity/src/auth/tenant-scope.ts',
    code: "export const s = { kind: 'all' };\n",
    expected: [],
  },
];

const importFixtures: Fixture[] = [
  {
    name: 'a lib reaching into another lib',
    filePath: 'libs/study/src/session/fixture.ts',
    code: "import { LedgerRepository } from '../../../ledger/src/ledger.repository';\nexport { LedgerRepository };\n",
    expected: [[IMPORT_RULE, 2]],
  },
  {
    name: 'an app reaching into a lib',
    filePath: 'apps/api/src/study/fixture.ts',
    code: "import { LedgerRepository } from '../../../../libs/ledger/src/ledger.repository';\nexport { LedgerRepository };\n",
    expected: [[IMPORT_RULE, 2]],
  },
  {
    name: 'a re-export and a dynamic import out of the lib',
    filePath: 'libs/ledger/src/fixture.ts',
    code: "export * from '../../identity/src/index';\nexport const later = () => import('../../study/src/index');\n",
    expected: [
      [IMPORT_RULE, 2],
      [IMPORT_RULE, 2],
    ],
  },
  {
    name: 'require() and jest.mock() out of the lib',
    filePath: 'libs/media/src/fixture.spec.js',
    code: "const env = require('../../platform/src/config/env');\njest.mock('../../storage/src/local-blob-store');\nmodule.exports = env;\n",
    expected: [
      [IMPORT_RULE, 2],
      [IMPORT_RULE, 2],
    ],
  },
  {
    name: 'a sibling lib whose name starts with the same letters',
    filePath: 'libs/study/src/fixture.ts',
    code: "export { x } from '../../study-extra/src/x';\n",
    expected: [[IMPORT_RULE, 2]],
  },
  {
    name: "production code using another lib's test-support",
    filePath: 'apps/api/src/media/fixture.ts',
    code: "export { startMediaApp } from '../../../../libs/media/test-support/media-app';\n",
    expected: [[IMPORT_RULE, 2]],
  },
  {
    name: 'relative imports inside one lib, the public entry, and the shared test harness',
    filePath: 'libs/study/src/session/fixture.spec.ts',
    code: [
      "import { lessonSeconds } from '../crediting/credit';",
      "import { StudySession } from './study-session';",
      "import { LedgerRepository } from '@app/ledger';",
      "import { testDatabase } from '../../../../tests/support/db';",
      'export { lessonSeconds, StudySession, LedgerRepository, testDatabase };',
      '',
    ].join('\n'),
    expected: [],
  },
  {
    name: "a spec using another lib's test-support",
    filePath: 'apps/api/src/media/fixture.e2e.spec.ts',
    code: "export { startMediaApp } from '../../../../libs/media/test-support/media-app';\n",
    expected: [],
  },
  {
    name: "the console's study modules taking the shared protocol types",
    filePath: 'apps/web/src/study/fixture.ts',
    code: "export type { HeartbeatAck } from '../../../../libs/study/src/protocol/study-protocol';\n",
    expected: [],
  },
];

function lint(fixtures: Fixture[]): { ruleId: string | null; severity: number; message: string }[][] {
  const input = JSON.stringify(fixtures.map(({ code, filePath }) => ({ code, filePath })));
  const out = execFileSync(process.execPath, [path.join(ROOT, 'tools/eslint/lint-text.js')], { cwd: ROOT, input, encoding: 'utf8' });
  return JSON.parse(out);
}

describe('local lint rules through eslint.config.mjs', () => {
  const fixtures = [...scopeFixtures, ...importFixtures];
  let results: ReturnType<typeof lint>;

  beforeAll(() => {
    results = lint(fixtures);
  }, 60_000);

  it.each(fixtures.map((f, i) => [f.name, i] as const))('%s', (_name, i) => {
    const reported = results[i].filter((m) => m.ruleId !== null && LOCAL_RULES.has(m.ruleId)).map((m) => [m.ruleId, m.severity]);
    expect(reported).toEqual(fixtures[i].expected);
    // A parse error would hide every rule: the fixtures must be valid code.
    expect(results[i].filter((m) => m.ruleId === null)).toEqual([]);
  });

  it('explains itself in zh-CN first', () => {
    const [scope] = results[0];
    const crossing = results[scopeFixtures.length][0];
    expect(scope.message).toMatch(/^不得手写数据范围/);
    expect(crossing.message).toMatch(/^相对路径不得跨出 libs\/study.*libs\/ledger/);
  });
});
