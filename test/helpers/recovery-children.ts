import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT } from './paths.js';
import type { RecoveryChildConfig } from './recovery-child.js';

const CHILD = fileURLToPath(new URL('./recovery-child.ts', import.meta.url));

export interface RecoveryChild {
  /** Every line the child printed, parsed, as it arrives. */
  readonly lines: Array<Record<string, unknown>>;
  kill(): void;
  /** Resolves at the first line that satisfies `test` (or when the child exits). */
  waitFor(test: (line: Record<string, unknown>) => boolean): Promise<void>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

/** Starts test/helpers/recovery-child.ts through tsx. */
export function startRecoveryChild(config: RecoveryChildConfig): RecoveryChild {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(config)], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: Array<Record<string, unknown>> = [];
  const waiters: Array<{ test: (line: Record<string, unknown>) => boolean; resolve: () => void }> = [];
  let buffer = '';
  let stderr = '';
  child.stdout.on('data', (b: Buffer) => {
    buffer += b.toString('utf8');
    const parts = buffer.split('\n');
    buffer = parts.pop()!;
    for (const p of parts) {
      if (p === '') continue;
      const line = JSON.parse(p) as Record<string, unknown>;
      lines.push(line);
      for (const w of waiters.filter((x) => x.test(line))) w.resolve();
    }
  });
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    child.on('close', (code, signal) => {
      for (const w of waiters) w.resolve();
      resolve({ code, signal, stderr });
    }),
  );
  return {
    lines,
    kill: () => child.kill('SIGKILL'),
    waitFor: (test) =>
      lines.some(test) || child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ test, resolve })),
    exited,
  };
}
