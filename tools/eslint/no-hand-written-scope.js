// A TenantScope is made by tenantScopeOf(user) or systemScope(reason) only. The type refuses an
// object literal already (it lacks the brand); this rule also catches the literal behind a cast
// (`{ kind: 'all' } as TenantScope`), which the type cannot see.

/** The scope kinds, each with the field that tells a scope apart from other `kind` objects (organisations have kind 'institution' too). */
const SCOPE_KINDS = {
  all: undefined,
  self: 'userId',
  jurisdiction: 'regionPrefix',
  institution: 'institutionId',
};

const WRAPPERS = new Set(['TSAsExpression', 'TSSatisfiesExpression', 'TSNonNullExpression', 'TSTypeAssertion']);

function unwrap(node) {
  while (node && WRAPPERS.has(node.type)) node = node.expression;
  return node;
}

function keyName(prop) {
  if (prop.type !== 'Property' || prop.computed) return undefined;
  if (prop.key.type === 'Identifier') return prop.key.name;
  if (prop.key.type === 'Literal' && typeof prop.key.value === 'string') return prop.key.value;
  return undefined;
}

function stringValue(node) {
  const value = unwrap(node);
  if (!value) return undefined;
  if (value.type === 'Literal' && typeof value.value === 'string') return value.value;
  if (value.type === 'TemplateLiteral' && value.expressions.length === 0) return value.quasis[0].value.cooked;
  return undefined;
}

module.exports = {
  meta: {
    type: 'problem',
    docs: { description: 'refuse a hand-written tenant scope: use tenantScopeOf(user) or systemScope(reason)' },
    schema: [],
    messages: {
      handWritten:
        "不得手写数据范围 {{kind}}：请使用 tenantScopeOf(user) 或 systemScope('原因') (hand-written TenantScope; use tenantScopeOf(user) or systemScope(reason))",
    },
  },
  create(context) {
    return {
      ObjectExpression(node) {
        const names = new Set(node.properties.map(keyName).filter(Boolean));
        const kindProp = node.properties.find((p) => keyName(p) === 'kind');
        if (!kindProp) return;
        const kind = stringValue(kindProp.value);
        if (kind === undefined || !Object.prototype.hasOwnProperty.call(SCOPE_KINDS, kind)) return;
        const marker = SCOPE_KINDS[kind];
        if (marker && !names.has(marker)) return;
        context.report({ node, messageId: 'handWritten', data: { kind: `'${kind}'` } });
      },
    };
  },
};
