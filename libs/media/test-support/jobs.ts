import { call } from '../../../tests/e2e/auth-client';

/** Polls a packaging job until it is final (the runner is in-process and claims it at once). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function waitForJob(base: string, token: string, jobId: string, timeoutMs = 60_000): Promise<Record<string, any>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = (await call(base, 'GET', `/api/v1/media/jobs/${jobId}`, { token })).body;
    if (job.status === 'succeeded' || job.status === 'failed') return job;
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${job.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
