// Face references for e2e suites that need enrolled trainees: the institution records a paper
// consent (as it does for people without a login) and enrols a photo through the real engine.
import { face } from './study';
import { call } from './auth-client';

/** `photo`: a fixture's file name, or the photo's bytes. */
export async function consentAndEnrol(base: string, token: string, traineeId: string, photo: string | Buffer): Promise<{ status: string }> {
  const text = (await call(base, 'GET', '/api/v1/consents/face-text', { token })).body as { version: string };
  const paper = new FormData();
  paper.set('textVersion', text.version);
  paper.set('signedOn', new Date().toISOString().slice(0, 10));
  paper.set('scan', new Blob([new Uint8Array(Buffer.from('%PDF-1.4\n%%EOF\n'))], { type: 'application/pdf' }), 'consent.pdf');
  const consent = await fetch(`${base}/api/v1/trainees/${traineeId}/face-consent/paper`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: paper });
  if (consent.status >= 300) throw new Error(`consent: ${consent.status} ${await consent.text()}`);
  const form = new FormData();
  form.set('image', new Blob([new Uint8Array(typeof photo === 'string' ? await face(photo) : photo)], { type: 'image/jpeg' }), 'photo.jpg');
  const enrolled = await fetch(`${base}/api/v1/trainees/${traineeId}/face-references`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form, signal: AbortSignal.timeout(180_000) });
  // 202: held for review (looks like another trainee of the program) — not a reference until an auditor approves it.
  if (enrolled.status !== 201 && enrolled.status !== 202) throw new Error(`enrolment: ${enrolled.status} ${await enrolled.text()}`);
  return (await enrolled.json()) as { status: string };
}
