/**
 * A child process for the recovery fault tests: restores a store in place and reports each step on stdout
 * (one JSON line per progress phase and per finished step), so the test can kill it anywhere. With
 * `crashAt` it kills itself with SIGKILL at that point (a step name, or a point of the swap).
 *
 *   node --import tsx test/helpers/recovery-child.ts '<RecoveryChildConfig as JSON>'
 */
import { restoreInPlace } from '../../main/recovery/index.js';

export interface RecoveryChildConfig {
  readonly store: string;
  readonly backups: string;
  readonly position: number;
  readonly crashAt?: string;
}

const config = JSON.parse(process.argv[2] ?? '{}') as RecoveryChildConfig;
const say = (value: unknown) => process.stdout.write(JSON.stringify(value) + '\n');
const crash = (point: string) => {
  say({ point });
  if (config.crashAt === point) process.kill(process.pid, 'SIGKILL');
};
let lastPhase = '';

restoreInPlace(
  config.store,
  { sources: [config.backups], target: { kind: 'position', position: config.position } },
  {
    onProgress: (p) => {
      if (p.phase !== lastPhase) say({ phase: (lastPhase = p.phase) });
    },
    hooks: {
      atStep: (step) => crash(step),
      afterJournal: () => crash('after-journal'),
      betweenRenames: () => crash('between-renames'),
      afterRenames: () => crash('after-renames'),
    },
  },
).then(
  (report) => say({ done: true, headPosition: report.headPosition, previousStore: report.previousStore }),
  (error: unknown) => {
    process.stderr.write(`recovery-child: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(3);
  },
);
