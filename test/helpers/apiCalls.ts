import type { JobInfo } from '../../shared/jobs.js';
import type { Principal } from '../../shared/security.js';
import type { ApiPipeline } from '../../main/api/pipeline.js';
import type { ConsoleHost } from '../../main/host/consoleHost.js';

export const TEST_ADMIN: Principal = { name: 'test-admin', role: 'admin', transport: 'test' };

/** Calls a query or command (or starts a job) through the pipeline and returns its value; a refusal throws. */
export async function callValue<T>(pipeline: ApiPipeline, method: string, input: unknown, principal: Principal = TEST_ADMIN): Promise<T> {
  const result = await pipeline.call(principal, method, input);
  if (!result.ok) throw new Error(`${method}: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}

/** Starts a job through the API and waits for its end, collecting the phases it reported. */
export async function runJobToEnd(
  pipeline: ApiPipeline,
  host: ConsoleHost,
  method: string,
  input: unknown,
  principal: Principal = TEST_ADMIN,
): Promise<{ job: JobInfo; phases: Set<string> }> {
  const phases = new Set<string>();
  const stop = host.jobs.onUpdate((j) => {
    if (j.progress !== null) phases.add(j.progress.phase);
  });
  const { jobId } = await callValue<{ jobId: string }>(pipeline, method, input, principal);
  for (;;) {
    const job = host.jobs.get(jobId)!;
    if (job.state !== 'running') {
      stop();
      return { job, phases };
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
