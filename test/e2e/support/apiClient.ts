import WebSocket from 'ws';
import type { Result, ServerFrame } from '../../../shared/api/wire.js';
import type { JobInfo } from '../../../shared/jobs.js';
import { SESSION_COOKIE, type ServedStore } from './serve.js';

/**
 * A minimal serve-mode API client for test setup (the same WebSocket RPC the console uses): calls a
 * method, or starts a job and waits for its end.
 */
export class ServeApi {
  private readonly socket: WebSocket;
  private readonly opened: Promise<void>;
  private nextId = 1;
  private readonly waiting = new Map<number, (frame: ServerFrame) => void>();

  constructor(server: ServedStore) {
    const url = `${server.origin.replace(/^http/, 'ws')}/api`;
    this.socket = new WebSocket(url, { origin: server.origin, headers: { Cookie: `${SESSION_COOKIE}=${server.session}` } });
    this.opened = new Promise((resolve, reject) => {
      this.socket.once('open', () => resolve());
      this.socket.once('error', reject);
    });
    this.socket.on('message', (data: Buffer) => {
      const frame = JSON.parse(data.toString('utf8')) as ServerFrame;
      this.waiting.get(frame.id)?.(frame);
    });
  }

  async call<T>(method: string, input: unknown = {}): Promise<T> {
    await this.opened;
    const id = this.nextId++;
    const result = await new Promise<Result<unknown>>((resolve) => {
      this.waiting.set(id, (frame) => {
        if (frame.type === 'result') {
          this.waiting.delete(id);
          resolve(frame.result);
        }
      });
      this.socket.send(JSON.stringify({ type: 'call', id, method, input }));
    });
    if (!result.ok) throw new Error(`${method} failed: ${result.error.code} ${result.error.message}`);
    return result.value as T;
  }

  /** Starts a job and resolves with its final record (rejects if it did not succeed). */
  async runJob(method: string, input: unknown = {}, timeoutMs = 120_000): Promise<JobInfo> {
    await this.opened;
    const subId = this.nextId++;
    const started: { id?: string } = {};
    const seen = new Map<string, JobInfo>();
    let finish: (job: JobInfo) => void = () => undefined;
    const ended = new Promise<JobInfo>((resolve) => (finish = resolve));
    this.waiting.set(subId, (frame) => {
      if (frame.type !== 'push') return;
      const job = frame.value as JobInfo;
      seen.set(job.id, job);
      if (job.id === started.id && job.state !== 'running') finish(job);
    });
    this.socket.send(JSON.stringify({ type: 'subscribe', id: subId, method: 'jobs.updates', input: {} }));
    const { jobId } = await this.call<{ jobId: string }>(method, input);
    started.id = jobId;
    const early = seen.get(jobId);
    if (early !== undefined && early.state !== 'running') finish(early);
    const timer = setTimeout(() => finish({ ...(seen.get(jobId) as JobInfo), state: 'failed' }), timeoutMs);
    const job = await ended;
    clearTimeout(timer);
    this.socket.send(JSON.stringify({ type: 'unsubscribe', id: subId }));
    this.waiting.delete(subId);
    if (job.state !== 'succeeded') throw new Error(`${method} ended ${job.state}: ${JSON.stringify(job.error)}`);
    return job;
  }

  close(): void {
    this.socket.close();
  }
}
