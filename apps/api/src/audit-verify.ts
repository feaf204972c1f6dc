import 'reflect-metadata';
import * as fs from 'node:fs';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AuditChainStore, AuditErrors, AuditModule, AuditStatus, isSignedCheckpoint, SignedCheckpoint, VerifyReport } from '@app/audit';
import { LedgerModule } from '@app/ledger';
import { loadConfigOrExit, PlatformModule } from '@app/platform';

/**
 * `npm run audit:verify [-- --checkpoint FILE]`: verifies every audit chain against its head, the
 * platform's checkpoints and (given) a checkpoint exported earlier. Prints the report as JSON on
 * its last line; exit 0 intact, 2 broken. Stop the platform first on the embedded database.
 */
/** A wrong argument or file: said in one line, exit 64 (EX_USAGE), no stack. */
class UsageError extends Error {}

function checkpointArg(argv: string[]): SignedCheckpoint | undefined {
  const i = argv.indexOf('--checkpoint');
  if (i < 0) return undefined;
  const file = argv[i + 1];
  if (!file) throw new UsageError('--checkpoint 需要文件路径 (needs a file)');
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`${AuditErrors.AUDIT_CHECKPOINT_INVALID.message}: ${(e as Error).message}`);
  }
  if (!isSignedCheckpoint(parsed)) throw new UsageError(AuditErrors.AUDIT_CHECKPOINT_INVALID.message);
  return parsed;
}

function summaryOf(report: VerifyReport): string {
  if (report.intact) {
    return report.checkpoint
      ? `审计日志完整：截至检查点 #${report.checkpoint.number}（${report.checkpoint.at}），共 ${report.records} 条记录`
      : `审计日志完整：共 ${report.records} 条记录（尚无检查点）`;
  }
  return ['审计日志被篡改 (audit log tampered):', ...report.problems.map((p) => `  - ${p.message}${p.recordId ? `（记录 ${p.recordId}）` : ''}`)].join('\n');
}

async function main(): Promise<void> {
  const config = loadConfigOrExit({ AUDIT_WRITER: 'cli', ...process.env, SEED_ON_START: 'never', JOBS_RUN: 'none' });
  const external = checkpointArg(process.argv.slice(2));
  // The ledger registers its entries: verify checks them against their records' digests too.
  @Module({ imports: [PlatformModule.forRoot(config), AuditModule, LedgerModule] })
  class VerifyModule {}
  const ctx = await NestFactory.createApplicationContext(VerifyModule, { bufferLogs: false, logger: ['error'] });
  let report: VerifyReport;
  try {
    report = await ctx.get(AuditChainStore).verify(external);
    await ctx.get(AuditStatus).save(report);
  } finally {
    await ctx.close();
  }
  console.log(summaryOf(report));
  console.log(JSON.stringify(report));
  process.exitCode = report.intact ? 0 : 2;
}

main().catch((e) => {
  if (e instanceof UsageError) {
    console.error(e.message);
    process.exit(64);
  }
  console.error('审计日志校验失败 (audit verify failed):', e);
  process.exit(1);
});
