import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The C sources of the fault tests (test/fault/native/), compiled at test time: no binary is committed. */
export const FAULT_NATIVE_DIR = fileURLToPath(new URL('../fault/native/', import.meta.url));

/** Why `cc` cannot be used here, or undefined when it can. */
export function missingCompiler(): string | undefined {
  const probe = spawnSync('cc', ['--version'], { encoding: 'utf8' });
  return probe.status === 0 ? undefined : `no C compiler: cc --version failed (${(probe.error?.message ?? probe.stderr).trim()})`;
}

/**
 * Compiles test/fault/native/<source> into `outDir` and returns the path of the result: an executable, or
 * with `shared` a library for LD_PRELOAD. Throws with the compiler's output when it fails.
 */
export function buildNative(source: string, outDir: string, options: { readonly shared?: boolean } = {}): string {
  const output = join(outDir, source.replace(/\.c$/, options.shared === true ? '.so' : ''));
  const args = options.shared === true ? ['-shared', '-fPIC', '-O2', '-o', output, join(FAULT_NATIVE_DIR, source), '-ldl', '-lpthread'] : ['-O2', '-o', output, join(FAULT_NATIVE_DIR, source)];
  const built = spawnSync('cc', ['-Wall', '-Werror', ...args], { encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`cc ${source} failed: ${built.stderr || built.error?.message}`);
  return output;
}
