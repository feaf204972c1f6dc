// Each folder under libs/ and apps/ is one unit (a bounded context, an app). Another unit is
// reached through its public index as @app/<name>; `@app/*/*` is refused by no-restricted-imports,
// and this rule refuses the same reach by relative path ('../../../ledger/src/x'). The path is
// resolved against the importing file, so relative imports inside one unit are never flagged.
// Paths outside every unit (tests/support, bench) are the shared harness and are not judged here.
const path = require('node:path');

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const UNIT_FOLDERS = new Set(['libs', 'apps']);

/** 'libs/ledger' for libs/ledger/src/x.ts; undefined outside libs/ and apps/. */
function unitOf(repoPath) {
  const [top, name] = repoPath.split('/');
  return UNIT_FOLDERS.has(top) && name ? `${top}/${name}` : undefined;
}

const toRepoPath = (root, absolute) => path.relative(root, absolute).split(path.sep).join('/');

module.exports = {
  meta: {
    type: 'problem',
    docs: { description: 'refuse relative imports that leave their own lib or app' },
    schema: [
      {
        type: 'object',
        properties: {
          /** Folder the unit folders are under (defaults to this repository's root). */
          root: { type: 'string' },
          /** Exceptions: importer and target repo paths matched by regular expressions, each with its reason. */
          allow: {
            type: 'array',
            items: {
              type: 'object',
              properties: { from: { type: 'string' }, to: { type: 'string' }, reason: { type: 'string' } },
              required: ['from', 'to', 'reason'],
              additionalProperties: false,
            },
          },
        },
        additionalProperties: false,
      },
    ],
    messages: {
      crossUnit:
        '相对路径不得跨出 {{from}}：请通过 @app/<lib> 的 index.ts 引用 {{to}} (relative import leaves {{from}} for {{to}}; import the public @app/<lib> entry)',
    },
  },
  create(context) {
    const options = context.options[0] ?? {};
    const root = options.root ? path.resolve(options.root) : REPO_ROOT;
    const allow = (options.allow ?? []).map((a) => ({ from: new RegExp(a.from), to: new RegExp(a.to) }));
    const filename = context.filename ?? context.getFilename();
    if (!path.isAbsolute(filename)) return {};
    const importer = toRepoPath(root, filename);
    const fromUnit = unitOf(importer);
    if (!fromUnit) return {};

    function check(sourceNode) {
      if (!sourceNode || sourceNode.type !== 'Literal' || typeof sourceNode.value !== 'string') return;
      const specifier = sourceNode.value;
      if (!specifier.startsWith('.')) return;
      const target = toRepoPath(root, path.resolve(path.dirname(filename), specifier));
      const toUnit = unitOf(target);
      if (!toUnit || toUnit === fromUnit) return;
      if (allow.some((a) => a.from.test(importer) && a.to.test(target))) return;
      context.report({ node: sourceNode, messageId: 'crossUnit', data: { from: fromUnit, to: toUnit } });
    }

    const isRequire = (node) =>
      node.callee.type === 'Identifier' && node.callee.name === 'require' && node.arguments.length === 1;
    const isJestModuleCall = (node) =>
      node.callee.type === 'MemberExpression' &&
      node.callee.object.type === 'Identifier' &&
      node.callee.object.name === 'jest' &&
      node.callee.property.type === 'Identifier' &&
      ['mock', 'requireActual', 'doMock'].includes(node.callee.property.name);

    return {
      ImportDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ImportExpression: (node) => check(node.source),
      TSImportEqualsDeclaration: (node) => node.moduleReference.type === 'TSExternalModuleReference' && check(node.moduleReference.expression),
      CallExpression: (node) => (isRequire(node) || isJestModuleCall(node)) && check(node.arguments[0]),
    };
  },
};
