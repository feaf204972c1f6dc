import { backupDataDir, BackupError, BackupPaths, restoreDataDir } from '@app/evidence';
import { AppConfig, loadConfigOrExit } from '@app/platform';

/**
 * `npm run backup -- --to DIR` / `npm run restore -- --from DIR [--force]` for the embedded default
 * (DATA_DIR's lmdb database and local blob store). Backup may run while the API serves; restore
 * wants the API stopped. Prints its report as JSON on the last line. Exit 64 on a wrong argument,
 * 65 on a refused or damaged backup.
 */
class UsageError extends Error {}

function argOf(argv: string[], flag: string): string {
  const i = argv.indexOf(flag);
  if (i < 0 || !argv[i + 1]) throw new UsageError(`需要 ${flag} 目录 (needs ${flag} DIR)`);
  return argv[i + 1];
}

function embeddedPaths(config: AppConfig): BackupPaths {
  if (config.database.mode !== 'embedded' || config.storage.driver !== 'local') {
    // Those deployments have better tools; see the README's "Backup and restore".
    throw new UsageError('仅适用于内置数据库与本地存储；设置了 MONGODB_URI 或 S3 时请使用 mongodump/快照与存储桶复制 (embedded default only; use mongodump and bucket replication)');
  }
  return { dataDir: config.dataDir, dbPath: config.database.dbPath, blobDir: config.storage.dir };
}

async function main(): Promise<void> {
  const [mode, ...argv] = process.argv.slice(2);
  const paths = embeddedPaths(loadConfigOrExit(process.env));
  if (mode === 'backup') {
    const report = await backupDataDir(paths, argOf(argv, '--to'));
    console.log(`备份完成：${report.blobs} 个对象，新复制 ${report.copied} 个，已存在跳过 ${report.skipped} 个`);
    console.log(JSON.stringify(report));
  } else if (mode === 'restore') {
    const report = await restoreDataDir(paths, argOf(argv, '--from'), { force: argv.includes('--force') });
    console.log(`恢复完成：${report.blobs} 个对象`);
    console.log(JSON.stringify(report));
  } else {
    throw new UsageError('用法 (usage): backup.ts backup --to DIR | restore --from DIR [--force]');
  }
}

main().catch((e) => {
  if (e instanceof UsageError) {
    console.error(e.message);
    process.exit(64);
  }
  if (e instanceof BackupError) {
    console.error(e.message);
    process.exit(65);
  }
  console.error('备份/恢复失败 (backup/restore failed):', e);
  process.exit(1);
});
