// Offline-training fixtures over HTTP: trainees registered by the 伊春 institution, a class, an
// instructor and sessions — what the offline e2e suites, the authorization matrix and the
// audit-coverage guard build on.
import type { INestApplication } from '@nestjs/common';
import { SocketAuthenticator } from '@app/identity';
import { AcceptSession, chinaDateOf } from '@app/offline';
import { rosterXlsx, sampleIdNumber } from '../../bench/roster';
import { call, Reply } from './auth-client';

export const YC_PROGRAM = 'YC-2025-MINING';

/**
 * Accepts an ended class session as the institution whose token is given, through the use case a
 * passing recording calls (there is no route: acceptance comes from the recording, issue 19). For
 * fixtures that need offline hours in the ledger without uploading a recording.
 */
export async function acceptInApp(app: INestApplication, institutionToken: string, sessionId: string): Promise<{ credited: number }> {
  const user = await app.get(SocketAuthenticator).authenticate({ auth: { token: institutionToken } }, ['institution']);
  return app.get(AcceptSession).accept(user, sessionId);
}

export function must(what: string, res: Reply, status = [200, 201]): Reply {
  if (!status.includes(res.status)) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
  return res;
}

export const day = (offsetDays: number) => chinaDateOf(Date.now() + offsetDays * 86_400_000);

let seq = 0;
/** A fresh, valid ID number per call (distinct birth dates from 1968; each suite has its own database). */
export function freshIdNumber(region = '230702'): string {
  return sampleIdNumber(3000 + seq++, region);
}

export async function ycProgramId(base: string): Promise<string> {
  return (await call(base, 'GET', '/api/v1/programs')).body.items.find((p: { code: string }) => p.code === YC_PROGRAM).id;
}

/** A 伊春 mining enterprise the institution may enrol from. */
export async function ycEnterprise(base: string, token: string): Promise<{ id: string; uscc: string; name: string }> {
  const orgs = (await call(base, 'GET', '/api/v1/organisations', { token })).body.items as Array<{ id: string; kind: string; industry?: string; uscc: string; name: string }>;
  return orgs.find((o) => o.kind === 'enterprise' && o.industry === '矿山')!;
}

export async function registerTrainee(base: string, token: string, programId: string, enterpriseId: string, category: string, name = '线下学员'): Promise<{ id: string; idNumber: string }> {
  const idNumber = freshIdNumber();
  const res = must('register trainee', await call(base, 'POST', '/api/v1/trainees', { token, body: { programId, name, idNumber, enterpriseId, category } }));
  return { id: res.body.id, idNumber };
}

/** Many trainees in one roster import (identity's xlsx), returning their ID numbers. */
export async function importTrainees(base: string, token: string, programId: string, enterprise: { uscc: string }, categoryName: string, n: number): Promise<string[]> {
  const ids = Array.from({ length: n }, () => freshIdNumber());
  const form = new FormData();
  form.set('programId', programId);
  form.set('file', new Blob([new Uint8Array(await rosterXlsx(ids.map((idNumber, i) => ({ name: `批量学员${'甲乙丙丁戊己庚辛壬癸'[i % 10]}${'子丑寅卯辰巳午未申酉戌亥'[Math.floor(i / 10) % 12]}`, idNumber, enterpriseUscc: enterprise.uscc, category: categoryName }))))]), 'roster.xlsx');
  const res = await fetch(`${base}/api/v1/trainees/import`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  const body = await res.json();
  if (res.status !== 200 || body.created + body.updated !== n) throw new Error(`import: ${res.status} ${JSON.stringify(body).slice(0, 400)}`);
  return ids;
}

export async function createInstructor(base: string, token: string, name = '测试教师'): Promise<string> {
  const body = { name, idNumber: freshIdNumber('230703'), role: 'teacher', employment: 'full_time', title: '高级工程师', titleLevel: 'senior', specialty: '矿山安全', safetyMajor: true, safetyTeacher: true, yearsOfPractice: 10 };
  return must('instructor', await call(base, 'POST', '/api/v1/offline/instructors', { token, body })).body.id;
}

export async function createClass(base: string, token: string, programId: string, overrides: Record<string, unknown> = {}): Promise<string> {
  const body = { programId, name: `测试班次${seq++}`, category: 'team_leader', industry: '矿山', location: '伊春培训中心', startDate: day(-1), endDate: day(2), ...overrides };
  return must('class', await call(base, 'POST', '/api/v1/offline/classes', { token, body })).body.id;
}

export async function addSession(base: string, token: string, classId: string, body: Record<string, unknown>): Promise<Reply> {
  return call(base, 'POST', `/api/v1/offline/classes/${classId}/sessions`, { token, body: { kind: 'theory', topic: '事故案例', room: `教室${seq++}`, ...body } });
}

export const iso = (ms: number) => new Date(ms).toISOString();
