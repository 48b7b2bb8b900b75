import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { READY_LINE, type AppendAck, type AppendLoopConfig } from './appendLoopProtocol.js';
import { APPEND_LOOP_PATH, REPO_ROOT } from './paths.js';

/** A running appendLoop child: its acknowledged appends as they arrive, and how it ended. */
export interface AppendLoopChild {
  readonly process: ChildProcessWithoutNullStreams;
  readonly acks: AppendAck[];
  /** Lines that were not a whole acknowledgement (pipe writes this small are atomic: expected empty). */
  readonly tornLines: string[];
  /** Resolves at the first acknowledged append. */
  readonly firstAck: Promise<void>;
  /** With `waitForGo`: resolves when the child has opened the store. */
  readonly ready: Promise<void>;
  /** With `waitForGo`: lets the child start appending. */
  go(): void;
  /** Resolves when the process has exited and its output is fully read. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

/** Starts test/helpers/appendLoop.ts through tsx. */
export function startAppendLoop(config: AppendLoopConfig): AppendLoopChild {
  const child = spawn(process.execPath, ['--import', 'tsx', APPEND_LOOP_PATH, JSON.stringify(config)], {
    cwd: REPO_ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  if (config.waitForGo !== true) child.stdin.end();
  const acks: AppendAck[] = [];
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
  let gotFirst: () => void = () => undefined;
  const firstAck = new Promise<void>((resolve) => (gotFirst = resolve));
  const lines = createInterface({ input: child.stdout, crlfDelay: Infinity });
  const tornLines: string[] = [];
  let isReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (isReady = resolve));
  lines.on('line', (line) => {
    if (line === READY_LINE) {
      isReady();
      return;
    }
    try {
      acks.push(JSON.parse(line) as AppendAck);
    } catch {
      tornLines.push(line);
    }
    gotFirst();
  });
  const linesClosed = new Promise<void>((resolve) => lines.on('close', resolve));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => {
    child.on('close', (code, signal) => {
      void linesClosed.then(() => {
        gotFirst();
        isReady();
        resolve({ code, signal, stderr });
      });
    });
  });
  return { process: child, acks, tornLines, firstAck, ready, go: () => child.stdin.end('go\n'), exited };
}
