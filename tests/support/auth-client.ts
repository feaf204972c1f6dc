// HTTP helpers shared by the e2e suites: plain fetch against the real app, demo logins, the forced password change.
import * as path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { readDemoLogins } from '@app/identity';
import { AppConfig, AppConfigToken } from '@app/platform';

// Response bodies are whatever JSON the API sent; tests assert on their shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

export interface Reply<T = Json> {
  status: number;
  body: T;
  headers: Headers;
}

export async function call<T = Json>(
  baseUrl: string,
  method: string,
  url: string,
  opts: { token?: string; body?: unknown } = {},
): Promise<Reply<T>> {
  const headers: Record<string, string> = {};
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(baseUrl + url, {
    method,
    headers,
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    // A route that never answers must fail its test, not hang the suite.
    signal: AbortSignal.timeout(15_000),
  });
  // A download (xlsx, an image) has no JSON body: its status and headers are what a generic caller checks.
  if (!/json/.test(res.headers.get('content-type') ?? 'application/json')) {
    await res.arrayBuffer();
    return { status: res.status, body: undefined as T, headers: res.headers };
  }
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

/** Initial passwords of the seeded demo accounts, by username, as the seeder wrote them. */
export function demoPasswords(app: INestApplication): Map<string, string> {
  const config = app.get<AppConfig>(AppConfigToken);
  return new Map(readDemoLogins(path.join(config.dataDir, 'demo-logins.txt')).map((l) => [l.username, l.password]));
}

export interface Session {
  accessToken: string;
  refreshToken: string;
  password: string;
}

export function login(baseUrl: string, username: string, password: string): Promise<Reply> {
  return call(baseUrl, 'POST', '/api/v1/auth/login', { body: { username, password } });
}

/** Logs a seeded account in and completes the forced password change, as the demo flow does. */
export async function activate(baseUrl: string, username: string, initial: string): Promise<Session> {
  const first = await login(baseUrl, username, initial);
  if (first.status !== 200) throw new Error(`login ${username}: ${first.status} ${JSON.stringify(first.body)}`);
  if (!first.body.mustChangePassword) return { ...first.body, password: initial };
  const password = `${initial}-Neu9`;
  const changed = await call(baseUrl, 'POST', '/api/v1/auth/password', {
    token: first.body.accessToken,
    body: { currentPassword: initial, newPassword: password },
  });
  if (changed.status !== 200) throw new Error(`password ${username}: ${changed.status} ${JSON.stringify(changed.body)}`);
  return { ...changed.body, password };
}
