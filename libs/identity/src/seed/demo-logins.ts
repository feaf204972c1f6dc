import * as fs from 'node:fs';
import type { Role } from '../auth/role';

/** One seeded account as printed at start-up. */
export interface DemoLogin {
  role: Role;
  username: string;
  password: string;
  description: string;
}

const HEADER = '# 演示账号初始密码（首次登录须修改；已修改者以新密码为准）。格式：角色<TAB>用户名<TAB>初始密码<TAB>说明';

/** Tab-separated so people can read it and scripts and tests can parse it. */
export function formatDemoLogins(logins: readonly DemoLogin[]): string {
  return [HEADER, ...logins.map((l) => [l.role, l.username, l.password, l.description].join('\t'))].join('\n') + '\n';
}

export function parseDemoLogins(text: string): DemoLogin[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'))
    .map((line) => {
      const [role, username, password, description = ''] = line.split('\t');
      return { role: role as Role, username, password, description };
    });
}

/** Reads `<dataDir>/demo-logins.txt`; empty when the file does not exist. */
export function readDemoLogins(file: string): DemoLogin[] {
  try {
    return parseDemoLogins(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}

/** Merges new logins in (by username) and keeps the file owner-readable only. */
export function writeDemoLogins(file: string, added: readonly DemoLogin[]): DemoLogin[] {
  const byName = new Map(readDemoLogins(file).map((l) => [l.username, l]));
  for (const l of added) byName.set(l.username, l);
  const all = [...byName.values()];
  fs.writeFileSync(file, formatDemoLogins(all), { mode: 0o600 });
  fs.chmodSync(file, 0o600);
  return all;
}

export function demoLoginNotices(logins: readonly DemoLogin[]): string[] {
  if (logins.length === 0) return [];
  return [
    '演示账号 (demo logins) — 首次登录须修改密码 (password change required at first login):',
    ...logins.map((l) => `${l.username.padEnd(14)} ${l.password}  ${l.description}`),
  ];
}
