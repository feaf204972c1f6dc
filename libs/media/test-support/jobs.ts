import { call } from '../../../tests/support/auth-client';

/** The job as GET /media/jobs/:id returns it (the fields the tests read). */
export interface JobReply {
  status: string;
  phase: string;
  progress: number;
  attempts: number;
  mode?: string;
  sourceSha256?: string;
  durationSeconds?: number;
  error: { code: string; message: string };
}

/** Polls a packaging job until it is final (the runner is in-process and claims it at once). */
export async function waitForJob(base: string, token: string, jobId: string, timeoutMs = 60_000): Promise<JobReply> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = (await call(base, 'GET', `/api/v1/media/jobs/${jobId}`, { token })).body;
    if (job.status === 'succeeded' || job.status === 'failed') return job;
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${job.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
