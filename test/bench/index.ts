import Database from 'better-sqlite3';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { appendBatch, writeEngineStore } from './appendBatch.js';
import { appendConcurrent } from './appendConcurrent.js';
import { appendSingle } from './appendSingle.js';
import { backupAppends } from './backup-appends.js';
import { backupFull } from './backup-full.js';
import { backupIncremental } from './backup-incremental.js';
import { backupRss } from './backup-rss.js';
import { backupVerify } from './backup-verify.js';
import { cliRss } from './cliRss.js';
import { BENCH_ROOT, EVENTS, fmt, freshDir, type Benchmark, type Figure, type Fixtures } from './harness.js';
import { ids } from './ids.js';
import { readAll, readStream } from './read.js';
import { recoveryRto } from './recovery-rto.js';
import { soak } from './soak.js';
import { uiLiveTail } from './ui-liveTail.js';
import { uiOverview } from './ui-overview.js';
import { uiScroll } from './ui-scroll.js';
import { verify } from './verify.js';

// In the order they run: append-batch leaves the big store behind for the read benchmarks.
const BENCHMARKS: readonly Benchmark[] = [appendBatch, appendSingle, appendConcurrent, readAll, readStream, verify, cliRss, ids, backupFull, backupAppends, backupIncremental, backupVerify, backupRss, recoveryRto, uiScroll, uiLiveTail, uiOverview, soak];

function machine(): string {
  const cpuinfo = existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '';
  const model = /model name\s*:\s*(.*)/.exec(cpuinfo)?.[1] ?? cpus()[0]?.model ?? 'unknown CPU';
  const memory = new Database(':memory:');
  const sqlite = (memory.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
  memory.close();
  return `${model}, ${cpus().length} cores, ${fmt(totalmem() / 2 ** 30, 1)} GiB RAM, Node ${process.version}, SQLite ${sqlite} (better-sqlite3)`;
}

function load(): string {
  return loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
}

function line(f: Figure): string {
  const value = `${fmt(f.value, f.unit === 'ms' || f.unit === '%' ? 2 : 0)} ${f.unit}`;
  const base = f.baseline === undefined ? '' : ` | baseline ${fmt(f.baseline, f.unit === 'ms' ? 2 : 0)} ${f.unit} (${f.baselineLabel ?? ''}) | ratio ${fmt(f.ratio ?? NaN, 2)}×`;
  const target = f.target === undefined ? '' : ` | target ${f.target}: ${f.met ? 'MET' : 'NOT MET'}`;
  return `  ${f.what}: ${value}${base}${target}${f.note === undefined ? '' : `\n      (${f.note})`}`;
}

function markdown(figures: readonly Figure[]): string {
  const rows = figures.map((f) => {
    const digits = f.unit === 'ms' || f.unit === '%' ? 2 : 0;
    const baseline = f.baseline === undefined ? '' : `${fmt(f.baseline, digits)} ${f.unit} (${f.baselineLabel ?? ''})`;
    const ratio = f.ratio === undefined ? '' : `${fmt(f.ratio, 2)}×`;
    const met = f.met === undefined ? '' : f.met ? 'met' : '**not met**';
    return `| ${f.bench} | ${f.what} | ${fmt(f.value, digits)} ${f.unit} | ${baseline} | ${ratio} | ${f.target ?? ''} | ${met} |`;
  });
  return ['| bench | figure | value | baseline | ratio | target | |', '|---|---|---|---|---|---|---|', ...rows].join('\n');
}

async function main(argv: string[]): Promise<void> {
  const unknown = argv.filter((name) => !BENCHMARKS.some((b) => b.name === name));
  if (unknown.length > 0) {
    console.error(`unknown benchmark(s): ${unknown.join(', ')}\navailable: ${BENCHMARKS.map((b) => b.name).join(', ')}`);
    process.exitCode = 2;
    return;
  }
  const selected = argv.length === 0 ? BENCHMARKS : BENCHMARKS.filter((b) => argv.includes(b.name));
  freshDir(BENCH_ROOT);
  const engineStoreDir = join(BENCH_ROOT, 'engine-store');
  let engineStoreReady = false;
  const fixtures: Fixtures = {
    engineStoreDir,
    engineStore() {
      if (!engineStoreReady) {
        console.log(`  (writing the ${fmt(EVENTS)}-event store through the engine for this benchmark…)`);
        writeEngineStore(freshDir(engineStoreDir), EVENTS);
        engineStoreReady = true;
      }
      return engineStoreDir;
    },
    engineStoreBuilt() {
      engineStoreReady = true;
    },
  };

  const figures: Figure[] = [];
  console.log(`${new Date().toISOString()}  ${machine()}`);
  console.log(`load average before: ${load()}`);
  try {
    for (const bench of selected) {
      console.log(`\n${bench.name}: ${bench.description}`);
      const dir = freshDir(join(BENCH_ROOT, bench.name));
      const started = performance.now();
      try {
        await bench.run({
          dir,
          fixtures,
          report(f) {
            const figure: Figure = { ...f, bench: bench.name, ratio: f.ratio ?? (f.baseline === undefined ? undefined : f.value / f.baseline) };
            figures.push(figure);
            console.log(line(figure));
          },
          log(message) {
            console.log(`    ${message}`);
          },
        });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      console.log(`  [${fmt((performance.now() - started) / 1000, 1)} s, load ${load()}]`);
    }
  } finally {
    rmSync(BENCH_ROOT, { recursive: true, force: true });
  }
  console.log(`\nload average after: ${load()}\n`);
  console.log(markdown(figures));
}

await main(process.argv.slice(2));
