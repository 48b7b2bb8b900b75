import { ConsoleError, ERROR_HINTS, toErrorInfo, type ErrorCode } from '../../shared/errors.js';

/** Exit code of the CLI contract (DESIGN §6): 2 bad usage or input, 1 the operation failed or found a problem. */
export function exitCodeFor(code: ErrorCode): 1 | 2 {
  return code === 'INVALID_INPUT' || code === 'NOT_FOUND' ? 2 : 1;
}

/** A stdout that respects back-pressure and treats a closed pipe (`| head`) as a normal end. */
export class Output {
  private closed = false;
  private failed: unknown;

  constructor(private readonly stream: NodeJS.WriteStream = process.stdout) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      this.closed = true;
      // A closed pipe (`| head`) is a normal end; anything else (a full disk behind `> file`) is the answer.
      if (error.code !== 'EPIPE') this.failed ??= error;
    });
  }

  /** Why standard output failed, other than a closed pipe: the command's output is incomplete. */
  get failure(): unknown {
    return this.failed;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  async write(text: string): Promise<void> {
    if (this.closed) return;
    if (!this.stream.write(text)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          this.stream.off('drain', done);
          this.stream.off('close', done);
          this.stream.off('error', done);
          resolve();
        };
        this.stream.on('drain', done);
        this.stream.on('close', done);
        this.stream.on('error', done);
      });
    }
  }

  json(value: unknown): Promise<void> {
    return this.write(JSON.stringify(value) + '\n');
  }
}

export function printError(error: unknown, json: boolean): number {
  const info = toErrorInfo(error);
  if (json) {
    process.stderr.write(JSON.stringify({ error: { code: info.code, message: info.message, details: info.details ?? {} } }) + '\n');
  } else {
    process.stderr.write(`error ${info.code}: ${info.message}\n`);
    if (info.code !== 'INTERNAL' || !(error instanceof Error)) process.stderr.write(`  ${ERROR_HINTS[info.code]}\n`);
    else process.stderr.write(`${error.stack ?? ''}\n  ${ERROR_HINTS.INTERNAL}\n`);
  }
  return exitCodeFor(info.code);
}

export function usageError(message: string): ConsoleError {
  return new ConsoleError('INVALID_INPUT', message);
}

export function formatNumber(n: number): string {
  return n.toLocaleString('en-US');
}

/** "1 event", "2 events": a count with its noun. */
export function formatCount(n: number, noun: string): string {
  return `${formatNumber(n)} ${noun}${n === 1 ? '' : 's'}`;
}

export { formatBytes } from '../../shared/format.js';
