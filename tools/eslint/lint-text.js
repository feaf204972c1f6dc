// Lints snippets through the repository's own eslint.config.mjs: reads [{ code, filePath }] as JSON
// on stdin, prints one array of { ruleId, severity, line } per snippet. A separate process because
// the flat config is an ES module, which jest's module sandbox cannot import.
const path = require('node:path');
const { ESLint } = require('eslint');

async function main() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  const snippets = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  const eslint = new ESLint({ cwd: path.resolve(__dirname, '..', '..') });
  const out = [];
  for (const { code, filePath } of snippets) {
    const [result] = await eslint.lintText(code, { filePath });
    out.push(result.messages.map((m) => ({ ruleId: m.ruleId, severity: m.severity, line: m.line, message: m.message })));
  }
  process.stdout.write(JSON.stringify(out));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
