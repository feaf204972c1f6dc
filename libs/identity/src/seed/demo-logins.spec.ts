import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DemoLogin, demoLoginNotices, formatDemoLogins, parseDemoLogins, readDemoLogins, writeDemoLogins } from './demo-logins';

const a: DemoLogin = { role: 'admin', username: 'admin', password: 'Pw1abcdefghijk', description: '系统管理员' };
const b: DemoLogin = { role: 'auditor', username: 'yc-hrss', password: 'Pw2abcdefghijk', description: '伊春市人社局' };

describe('demo logins file', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-logins-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('round-trips through its text form', () => {
    expect(parseDemoLogins(formatDemoLogins([a, b]))).toEqual([a, b]);
  });

  it('is empty when missing, merges by username and is private to its owner', () => {
    const file = path.join(dir, 'demo-logins.txt');
    expect(readDemoLogins(file)).toEqual([]);
    writeDemoLogins(file, [a]);
    writeDemoLogins(file, [b, { ...a, password: 'changed12345' }]);
    expect(readDemoLogins(file)).toEqual([{ ...a, password: 'changed12345' }, b]);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('prints one banner line per account', () => {
    const lines = demoLoginNotices([a, b]);
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain('admin');
    expect(lines[1]).toContain(a.password);
    expect(demoLoginNotices([])).toEqual([]);
  });
});
