import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Small ext4 file systems on loop devices (root only) for the power-cut tests: made, mounted, shut down,
 * remounted, and always cleaned up (`cleanupLoopMounts` in afterEach, even after a failed test).
 */
export interface LoopExt4 {
  readonly image: string;
  readonly mountPoint: string;
  mount(): void;
  /** Unmounts; the loop device goes with it (mount -o loop sets autoclear). */
  unmount(): void;
}

const mounted = new Set<string>();

function run(command: string, args: readonly string[]): { ok: boolean; output: string } {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  return { ok: result.status === 0, output: `${result.stdout ?? ''}${result.stderr ?? ''}${result.error?.message ?? ''}`.trim() };
}

function must(command: string, args: readonly string[]): void {
  const result = run(command, args);
  if (!result.ok) throw new Error(`${command} ${args.join(' ')} failed: ${result.output}`);
}

/** Why loop-mounted ext4 cannot be used here, or undefined when it can. */
export function missingLoopExt4(): string | undefined {
  if (process.getuid?.() !== 0) return 'not root: mounting a loop device needs CAP_SYS_ADMIN';
  for (const tool of ['losetup', 'mkfs.ext4', 'mount', 'umount']) {
    if (!run('sh', ['-c', `command -v ${tool}`]).ok) return `${tool} is not installed`;
  }
  return undefined;
}

/** A new `sizeMb` ext4 image in `dir` (image + mount point), not mounted yet. */
export function makeLoopExt4(dir: string, sizeMb: number): LoopExt4 {
  const image = join(dir, 'ext4.img');
  const mountPoint = join(dir, 'mnt');
  mkdirSync(mountPoint, { recursive: true });
  rmSync(image, { force: true });
  must('truncate', ['-s', `${sizeMb}M`, image]);
  must('mkfs.ext4', ['-q', '-F', image]);
  return {
    image,
    mountPoint,
    mount() {
      must('mount', ['-o', 'loop', image, mountPoint]);
      mounted.add(mountPoint);
    },
    unmount() {
      unmountWithRetry(mountPoint);
    },
  };
}

function unmountWithRetry(mountPoint: string): void {
  let last = '';
  // A just-killed process may hold its files for a moment while the kernel tears it down.
  for (let attempt = 0; attempt < 50; attempt++) {
    const result = run('umount', [mountPoint]);
    if (result.ok) {
      mounted.delete(mountPoint);
      return;
    }
    last = result.output;
    if (/not mounted/.test(last)) {
      mounted.delete(mountPoint);
      return;
    }
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
  }
  throw new Error(`umount ${mountPoint} failed: ${last}`);
}

/** Unmounts whatever is still mounted, lazily if it must, and detaches loop devices left on its images. */
export function cleanupLoopMounts(images: readonly string[] = []): void {
  for (const mountPoint of [...mounted]) {
    try {
      unmountWithRetry(mountPoint);
    } catch {
      run('umount', ['-l', mountPoint]);
      mounted.delete(mountPoint);
    }
  }
  for (const image of images) {
    const attached = run('losetup', ['-j', image]);
    for (const line of attached.output.split('\n')) {
      const device = /^(\/dev\/loop\d+):/.exec(line)?.[1];
      if (device !== undefined) run('losetup', ['-d', device]);
    }
  }
}
