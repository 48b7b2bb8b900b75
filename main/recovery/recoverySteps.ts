import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ConsoleError } from '../../shared/errors.js';
import type { LeftOut, RecoveryPlan, RecoveryProgress } from '../../shared/recovery.js';
import { type FileLock, fsyncDirectory, PhaseTimer, requireFreeSpace, type Step } from '../platform/index.js';
import { acquireRestoreLock, completeInterruptedSwap, HEAD_RECORD_FILE, preRestoreName, type RestorePaths, restorePathsFor, swapIn } from '../store/index.js';
import { buildRestoredStore, type BuiltStore } from './buildStore.js';
import { leftOutOf, summarise, unavailable } from './compareStores.js';
import { openForInspection, type StoreIdentity } from './inspectStore.js';
import { planForStore } from './planRecovery.js';
import type { RecoveryContext, RecoveryRequest } from './runRecovery.js';
import type { ResolvedSources } from './sources.js';
import { validationError, type ValidatedLink } from './validateLinks.js';
import { validatePlan } from './validatePlan.js';

/** One recovery run as its steps fill it in; each field is set by the step named beside it. */
export class RecoveryRun {
  readonly t0 = performance.now();
  readonly timer = new PhaseTimer();
  readonly clock: () => number;
  readonly runStart: number;
  readonly isCancelled: () => boolean;
  paths?: RestorePaths; // destination | store
  plan!: RecoveryPlan; // plan | validate
  sources!: ResolvedSources; // plan | validate
  current?: StoreIdentity;
  createdParent?: string; // parent
  lock?: FileLock; // lock
  work?: string; // scratch | work
  validated!: ValidatedLink[]; // validate
  built!: BuiltStore; // build
  published = false; // publish | swap
  previousStore: string | null = null; // swap
  finalDir?: string;
  rtoMs!: number; // summary
  summary!: ReturnType<typeof summarise>;
  leftOut!: LeftOut; // compare
  compared = false;
  finishedAt!: number;

  constructor(
    readonly req: RecoveryRequest,
    readonly ctx: RecoveryContext,
  ) {
    this.clock = ctx.clock ?? Date.now;
    this.runStart = this.clock();
    this.isCancelled = ctx.isCancelled ?? (() => false);
  }

  onProgress(p: RecoveryProgress): void {
    this.ctx.onProgress?.(p);
  }

  /** Where the restored store is built: inside the work folder, until it is published. */
  get dir(): string {
    return join(this.work!, 'store');
  }
}

function isEmptyFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory() && readdirSync(path).length === 0;
  } catch {
    return false;
  }
}

/** to-folder: the destination, checked before anything else: a new or empty folder. */
export const checkDestination: Step<RecoveryRun> = {
  name: 'destination',
  reported: false,
  run: (s) => {
    const destination = s.req.destination!;
    if (existsSync(destination) && !isEmptyFolder(destination))
      throw new ConsoleError('INVALID_INPUT', `${destination} already exists and is not an empty folder: restore into a new or empty folder`, { destination });
    s.paths = restorePathsFor(destination);
  },
};

/** in-place: the store's folder, and a swap a crash cut short finished or rolled back before anything else. */
export const checkStore: Step<RecoveryRun> = {
  name: 'store',
  reported: false,
  run: (s) => {
    const storeDir = s.req.storeDir!;
    if (existsSync(storeDir) && !statSync(storeDir).isDirectory()) throw new ConsoleError('INVALID_INPUT', `${storeDir} is not a folder`, { storeDir });
    s.paths = restorePathsFor(storeDir);
    completeInterruptedSwap(storeDir);
  },
};

/**
 * The plan, from the sidecars (a target beyond a gap, or one an unreadable archive might reach, is refused
 * here); and the current store, when there is one and it can be read: its id picks the archives, its events
 * after the target are what the restore leaves out.
 */
export const plan: Step<RecoveryRun> = {
  name: 'plan',
  run: async (s) => {
    s.onProgress({ phase: 'planning', done: 0, total: null, unit: 'archives' });
    ({ plan: s.plan, sources: s.sources, current: s.current } = await planForStore(s.req));
  },
};

/** dry-run: the work folder in the scratch space. */
export const scratchFolder: Step<RecoveryRun> = {
  name: 'scratch',
  reported: false,
  run: async (s) => {
    const root = s.req.scratchDir ?? tmpdir();
    await mkdir(root, { recursive: true });
    s.work = await mkdtemp(join(root, 'pconsole-restore-'));
  },
  cleanup: removeWork,
  cleanupWhen: 'always',
};

/**
 * to-folder and in-place: the work folder beside the destination (same file system: the final rename is
 * atomic), under the restore lock; the parent folders a failed run created are removed again.
 */
export const besideTarget: readonly Step<RecoveryRun>[] = [
  {
    name: 'parent',
    reported: false,
    run: async (s) => void (s.createdParent = await mkdir(s.paths!.parent, { recursive: true })),
    cleanup: async (s) => {
      if (!s.published && s.createdParent !== undefined) await removeEmptyParents(s.createdParent, s.paths!.parent);
    },
  },
  {
    name: 'lock',
    reported: false,
    run: (s) => void (s.lock = acquireRestoreLock(s.paths!.lock, `restore of store ${s.plan.storeId} into ${s.paths!.target}`)),
    cleanup: (s) => s.lock?.release(),
    cleanupWhen: 'always',
  },
  {
    name: 'work',
    reported: false,
    run: async (s) => {
      const work = s.paths!.work;
      await rm(work, { recursive: true, force: true }); // what a killed run left
      await mkdir(work);
      s.work = work;
    },
    cleanup: removeWork,
    cleanupWhen: 'always',
  },
];

async function removeWork(s: RecoveryRun): Promise<void> {
  if (s.work !== undefined) await rm(s.work, { recursive: true, force: true }).catch(() => undefined);
}

/**
 * Every archive of the plan verified before the restore uses it: a wrong key, a damaged archive or (with a
 * trusted key) one not signed by it is refused here. An archive whose manifest inside contradicts the sidecar
 * the plan was made from makes the plan be made again from the archive's word (validatePlan).
 */
export const validate: Step<RecoveryRun> = {
  name: 'validate',
  run: async (s) => {
    const work = s.work!;
    const needed = s.plan.links.reduce((n, l) => n + l.dataBytes * (l.kind === 'full' ? 1 : 2), 0) + 16 * 1024 * 1024;
    await requireFreeSpace(work, needed, 'the restore');
    ({ plan: s.plan, sources: s.sources, validated: s.validated } = await validatePlan({ plan: s.plan, sources: s.sources }, s.req.target, s.req.keys, {
      keys: s.req.keys,
      trustedKey: s.req.trustedKey,
      scratchDir: work,
      keepMembers: true,
      record: s.req.mode !== 'dry-run',
      stopAtFirstFailure: true,
      onProgress: (p) => s.onProgress(p),
      isCancelled: s.isCancelled,
    }));
    const failed = s.validated.find((v) => !v.ok);
    if (failed !== undefined) throw validationError(failed);
  },
};

/** The restored store, built and verified in the work folder; its own steps ('prepare' … 'finish') are reported. */
export const build: Step<RecoveryRun> = {
  name: 'build',
  reported: false,
  run: async (s) => {
    s.built = await buildRestoredStore({
      dir: s.dir,
      work: s.work!,
      plan: s.plan,
      validated: s.validated,
      keys: s.req.keys,
      trustedKey: s.req.trustedKey,
      record: s.req.mode !== 'dry-run',
      clock: s.clock,
      timer: s.timer,
      onProgress: (p) => s.onProgress(p),
      isCancelled: s.isCancelled,
      step: (name) => s.ctx.hooks?.atStep?.(name),
      carryOverFrom: s.req.mode === 'in-place' ? s.req.storeDir : undefined,
    });
  },
};

/** to-folder: the restored store renamed to the destination. */
export const publishToFolder: Step<RecoveryRun> = {
  name: 'publish',
  run: async (s) => {
    const paths = s.paths!;
    s.onProgress({ phase: 'publishing', done: 0, total: 1, unit: 'steps' });
    await rename(s.dir, paths.target);
    await fsyncDirectory(paths.parent);
    s.finalDir = paths.target;
    s.published = true;
  },
};

/** in-place: the restored store swapped in through the crash-safe journal; the store as it was is set aside beside it. */
export const swapInPlace: Step<RecoveryRun> = {
  name: 'swap',
  run: async (s) => {
    const paths = s.paths!;
    s.onProgress({ phase: 'publishing', done: 0, total: 1, unit: 'steps' });
    await headWritesSettled(paths.target);
    let attempt = 1;
    let previous = join(paths.parent, preRestoreName(paths.name, s.runStart, attempt));
    while (existsSync(previous)) previous = join(paths.parent, preRestoreName(paths.name, s.runStart, ++attempt));
    s.previousStore = swapIn(paths.target, s.dir, previous, s.ctx.hooks).previous;
    s.finalDir = paths.target;
    s.published = true;
  },
};

/** What the store holds. The RTO ends here: run start to a verified store in place. Once published, no cancelling. */
export const summary: Step<RecoveryRun> = {
  name: 'summary',
  cancellable: (s) => !s.published,
  run: (s) => {
    s.rtoMs = Math.round(performance.now() - s.t0);
    s.onProgress({ phase: 'summarising', done: 0, total: 1, unit: 'steps' });
    const db = openForInspection(s.finalDir ?? s.dir);
    try {
      s.summary = summarise(db);
    } finally {
      db.close();
    }
  },
};

/** What the target left out of the current store (reported when there was a store to compare with). */
export const compare: Step<RecoveryRun> = {
  name: 'compare',
  cancellable: false,
  reported: (s) => s.compared,
  run: (s) => {
    const compareDir = s.req.mode === 'in-place' ? (s.previousStore ?? undefined) : s.req.storeDir;
    const current = s.current;
    if (current === undefined) s.leftOut = unavailable('no current store was named');
    else if (!current.readable) s.leftOut = unavailable(current.reason);
    else if (compareDir === undefined) s.leftOut = unavailable('the current store is gone');
    else {
      s.onProgress({ phase: 'comparing', done: 0, total: 1, unit: 'steps' });
      s.leftOut = leftOutOf(compareDir, { position: s.built.position, hash: s.built.hash });
      s.compared = true;
    }
    s.finishedAt = s.clock();
  },
};

/** Removes the folders a failed run created for its destination's parent (only while they are empty). */
async function removeEmptyParents(top: string, deepest: string): Promise<void> {
  let dir = deepest;
  for (;;) {
    try {
      if ((await readdir(dir)).length > 0) return;
      await rmdir(dir);
    } catch {
      return;
    }
    if (dir === top) return;
    dir = dirname(dir);
  }
}

/**
 * Waits (up to 5 s) until no head.json write of the store being replaced is in flight: the engine writes it
 * asynchronously under a temporary name, by path, and one started just before the store was closed must not
 * land in the restored store after the swap.
 */
async function headWritesSettled(storeDir: string): Promise<void> {
  const deadline = performance.now() + 5000;
  while (performance.now() < deadline) {
    let names: string[];
    try {
      names = readdirSync(storeDir);
    } catch {
      return;
    }
    if (!names.some((n) => n.startsWith(`${HEAD_RECORD_FILE}.`) && n.endsWith('.tmp'))) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
