/**
 * npm run bench:roster -- [--rows 10000]
 *
 * Imports a generated roster of N valid rows into a fresh test app (embedded database unless
 * MONGODB_URI is set) as the 伊春 institution, twice: the first run creates every trainee, the
 * second must change nothing. Prints wall time per run (upload included) and the server's figure.
 * Also exports the generator the e2e tests use.
 */
import * as ExcelJS from 'exceljs';
import { performance } from 'node:perf_hooks';

export interface SampleEnterprise {
  uscc?: string;
  name: string;
}

export interface SampleRow {
  name?: string;
  idNumber?: string | number;
  phone?: string;
  enterpriseUscc?: string;
  enterpriseName?: string;
  category?: string;
  post?: string;
}

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
export const idWithCheck = (first17: string) => first17 + '10X98765432'[[...first17].reduce((s, d, i) => s + Number(d) * WEIGHTS[i], 0) % 11];

/** A distinct valid ID number per index (birth dates one day apart from 1960, region 伊春市伊美区). */
export function sampleIdNumber(i: number, region = '230717'): string {
  const d = new Date(Date.UTC(1960, 0, 1) + i * 86_400_000);
  const ymd = d.toISOString().slice(0, 10).replace(/-/g, '');
  return idWithCheck(`${region}${ymd}${String(100 + (i % 900)).padStart(3, '0')}`);
}

const SURNAMES = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英';

export function sampleRow(i: number, enterprises: readonly SampleEnterprise[], categories: readonly string[]): SampleRow {
  const e = enterprises[i % enterprises.length];
  return {
    name: SURNAMES[i % SURNAMES.length] + GIVEN[Math.floor(i / SURNAMES.length) % GIVEN.length] + GIVEN[(i * 7) % GIVEN.length],
    idNumber: sampleIdNumber(i),
    phone: `139${String(i).padStart(8, '0')}`,
    // Half the rows name the enterprise by credit code, half by name, as real rosters do.
    ...(i % 2 === 0 && e.uscc ? { enterpriseUscc: e.uscc } : { enterpriseName: e.name }),
    category: categories[i % categories.length],
    post: ['采掘班班长', '安全员', '车间主任', '分管副总'][i % 4],
  };
}

export const SAMPLE_HEADERS = ['姓名', '身份证号', '手机号', '企业统一社会信用代码', '企业名称', '人员类别', '岗位'];
const KEYS: Array<keyof SampleRow> = ['name', 'idNumber', 'phone', 'enterpriseUscc', 'enterpriseName', 'category', 'post'];

/** Writes rows with exceljs's streaming writer (shared strings off: what most producers do). */
export async function rosterXlsx(rows: readonly SampleRow[], headers: readonly string[] = SAMPLE_HEADERS): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const { PassThrough } = await import('node:stream');
  const out = new PassThrough();
  out.on('data', (c: Buffer) => chunks.push(c));
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: false });
  const sheet = wb.addWorksheet('学员名单');
  sheet.addRow([...headers]).commit();
  for (const r of rows) sheet.addRow(KEYS.map((k) => r[k] ?? null)).commit();
  sheet.commit();
  await wb.commit();
  return Buffer.concat(chunks);
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const rowsArg = argv.indexOf('--rows');
  const n = rowsArg >= 0 ? Number(argv[rowsArg + 1]) : 10_000;
  const { startTestApp } = await import('../tests/support/app');
  const { activate, call, demoPasswords } = await import('../tests/support/auth-client');
  const t = await startTestApp('roster-bench');
  try {
    const token = (await activate(t.baseUrl, 'yc-institution', demoPasswords(t.app).get('yc-institution')!)).accessToken;
    const programs = (await call(t.baseUrl, 'GET', '/api/v1/programs')).body.items as Array<{ id: string; code: string; categories: Array<{ code: string; name: string }> }>;
    const program = programs.find((p) => p.code === 'YC-2025-MINING')!;
    const orgs = (await call(t.baseUrl, 'GET', '/api/v1/organisations', { token })).body.items as Array<{ kind: string; uscc?: string; name: string }>;
    const enterprises = orgs.filter((o) => o.kind === 'enterprise');
    const rows = Array.from({ length: n }, (_, i) => sampleRow(i, enterprises, program.categories.map((c) => c.name)));
    const t0 = performance.now();
    const file = await rosterXlsx(rows);
    console.log(`generated ${n} rows: ${(file.length / 1024).toFixed(0)} KiB in ${(performance.now() - t0).toFixed(0)} ms`);
    for (const run of ['first import (creates)', 'second import (no changes)']) {
      const form = new FormData();
      form.set('programId', program.id);
      form.set('file', new Blob([new Uint8Array(file)]), 'roster.xlsx');
      const started = performance.now();
      const res = await fetch(`${t.baseUrl}/api/v1/trainees/import`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
      const body = (await res.json()) as Record<string, unknown>;
      const wall = performance.now() - started;
      const { errors, ...counts } = body as { errors?: unknown[] };
      console.log(`${run}: HTTP ${res.status} in ${(wall / 1000).toFixed(2)} s wall — ${JSON.stringify(counts)}${errors?.length ? ` first error ${JSON.stringify(errors[0])}` : ''}`);
      if (res.status !== 200) process.exitCode = 1;
    }
  } finally {
    await t.stop();
  }
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
