import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PACKAGE_ROOT } from '../../main/platform/packageInfo.js';
import { fmt, type BenchContext, type Benchmark } from './harness.js';

const CLI = join(PACKAGE_ROOT, 'dist', 'main', 'cli', 'index.js');
const TIME = '/usr/bin/time';

interface Measured {
  readonly code: number | null;
  readonly maxRssMb: number;
  readonly seconds: number;
  readonly stderr: string;
}

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/** The benchmark runs the built CLI; it rebuilds it when a source file is newer than the build. */
function ensureBuilt(ctx: BenchContext): void {
  const built = existsSync(CLI) ? statSync(CLI).mtimeMs : 0;
  if (built >= Math.max(newestSource(join(PACKAGE_ROOT, 'main')), newestSource(join(PACKAGE_ROOT, 'shared')))) return;
  ctx.log('dist/ is older than the sources: npm run build:main');
  const result = spawnSync('npm', ['run', 'build:main'], { cwd: PACKAGE_ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('npm run build:main failed');
}

/**
 * Runs `pconsole <args>` as a child process and reads its peak RSS: from GNU time when it is installed,
 * otherwise by sampling /proc/<pid>/status VmHWM (the kernel's own high-water mark) until it exits.
 */
function runCli(args: readonly string[], stdoutPath?: string): Promise<Measured> {
  const out = stdoutPath === undefined ? 'ignore' : openSync(stdoutPath, 'w');
  const timeFile = join(PACKAGE_ROOT, '.bench-data', `time-${process.pid}.txt`);
  const useTime = existsSync(TIME);
  if (useTime) mkdirSync(dirname(timeFile), { recursive: true }); // GNU time does not create the folder of its -o file
  const command = useTime ? TIME : process.execPath;
  const argv = useTime ? ['-f', '%M', '-o', timeFile, process.execPath, CLI, ...args] : [CLI, ...args];
  const started = performance.now();
  const child = spawn(command, argv, { stdio: ['ignore', out, 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let hwmKb = 0;
  const sampler = useTime
    ? undefined
    : setInterval(() => {
        try {
          const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
          if (m !== null) hwmKb = Math.max(hwmKb, Number(m[1]));
        } catch {
          /* exited */
        }
      }, 20);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = (performance.now() - started) / 1000;
      if (sampler !== undefined) clearInterval(sampler);
      if (typeof out === 'number') closeSync(out);
      const kb = useTime ? Number(/(\d+)\s*$/.exec(readFileSync(timeFile, 'utf8'))?.[1] ?? NaN) : hwmKb;
      if (useTime) rmSync(timeFile, { force: true });
      resolve({ code, maxRssMb: kb / 1024, seconds, stderr });
    });
  });
}

async function mustRun(args: readonly string[], stdoutPath?: string): Promise<Measured> {
  const m = await runCli(args, stdoutPath);
  if (m.code !== 0) throw new Error(`pconsole ${args.join(' ')} exited ${m.code}: ${m.stderr.slice(0, 2000)}`);
  return m;
}

/**
 * Peak RSS of the real CLI on the big store: export it, import the export into empty stores (a tenth of
 * it and all of it) and verify both. Bounded memory means the full run peaks about where the tenth does.
 */
export const cliRss: Benchmark = {
  name: 'cli-rss',
  description: 'peak RSS and time of `pconsole export`, `import` and `verify` (built CLI, child processes)',
  async run(ctx) {
    ensureBuilt(ctx);
    const fixture = ctx.fixtures.engineStore();
    const exportAll = join(ctx.dir, 'export.ndjson');
    const exportTenth = join(ctx.dir, 'export-tenth.ndjson');
    const idle = await mustRun(['--version']);
    const exported = await mustRun(['export', fixture], exportAll);
    const total = Number(spawnSync('wc', ['-l', exportAll], { encoding: 'utf8' }).stdout.trim().split(/\s+/)[0]);
    const tenth = Math.floor(total / 10);
    const head = spawnSync('sh', ['-c', 'head -n "$1" "$2" > "$3"', 'sh', String(tenth), exportAll, exportTenth]);
    if (head.status !== 0) throw new Error('head failed');
    const small = join(ctx.dir, 'store-tenth');
    const big = join(ctx.dir, 'store-all');
    await mustRun(['init', small]);
    await mustRun(['init', big]);
    const importSmall = await mustRun(['import', small, exportTenth, '--json']);
    const importBig = await mustRun(['import', big, exportAll, '--json']);
    ctx.report({
      what: `pconsole import of ${fmt(total)} exported events, peak RSS`,
      value: importBig.maxRssMb,
      unit: 'MB',
      baseline: importSmall.maxRssMb,
      baselineLabel: `the same import of ${fmt(tenth)} events`,
      target: 'bounded (≤ 1.5×)',
      met: importBig.maxRssMb / importSmall.maxRssMb <= 1.5,
      note: `${fmt(importBig.seconds, 1)} s, ${fmt(total / importBig.seconds)} events/s (checking pass + writing pass)`,
    });
    // Export again from the store of a tenth: the bounded-memory check for export.
    const exportedTenth = await mustRun(['export', small], join(ctx.dir, 'export-again.ndjson'));
    ctx.report({
      what: `pconsole export of ${fmt(total)} events, peak RSS`,
      value: exported.maxRssMb,
      unit: 'MB',
      baseline: exportedTenth.maxRssMb,
      baselineLabel: `export of ${fmt(tenth)} events`,
      target: 'bounded (≤ 1.5×)',
      met: exported.maxRssMb / exportedTenth.maxRssMb <= 1.5,
      note: `${fmt(exported.seconds, 1)} s, ${fmt(total / exported.seconds)} events/s; \`pconsole --version\` peaks at ${fmt(idle.maxRssMb)} MB`,
    });
    const verifySmall = await mustRun(['verify', small, '--json']);
    const verifyBig = await mustRun(['verify', big, '--json']);
    ctx.report({
      what: `pconsole verify of ${fmt(total)} events, peak RSS`,
      value: verifyBig.maxRssMb,
      unit: 'MB',
      baseline: verifySmall.maxRssMb,
      baselineLabel: `verify of ${fmt(tenth)} events`,
      target: 'bounded (≤ 1.5×)',
      met: verifyBig.maxRssMb / verifySmall.maxRssMb <= 1.5,
      note: `${fmt(verifyBig.seconds, 1)} s, ${fmt(total / verifyBig.seconds)} events/s including process start`,
    });
  },
};
