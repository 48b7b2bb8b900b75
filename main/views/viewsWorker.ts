import { setPriority } from 'node:os';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { toErrorInfo } from '../../shared/errors.js';
import { openReadable, openWritable, setDefaultNativeBinding, type ReadableDB, type WritableDB } from '../platform/index.js';
import { EVENTS_DB, VIEWS_DB } from '../store/index.js';
import { EventReader } from '../store/index.js';
import { ViewsProjector } from './viewsProjector.js';
import type { ViewsWorkerData, ViewsWorkerMessage, ViewsWorkerRequest } from './viewsWorkerProtocol.js';

// The console views' catch-up, in a worker thread of its own: the main loop only reads views.db. It
// keeps its own connections (the log read-only, views.db writable), goes to the head in steps with a
// turn of its own loop between them (so `stop` is heard), posts the checkpoint after each step, and
// sleeps until the main thread says the head moved.
const start = workerData as ViewsWorkerData;
setDefaultNativeBinding(start.nativeBinding);
try {
  // Catching up is background work: on Linux this lowers only this thread, so the page being served
  // (and on one machine, the browser showing it) come first when cores are scarce.
  setPriority(start.niceness);
} catch {
  // Not permitted here: run at the normal priority.
}

const port = parentPort!;
const send = (message: ViewsWorkerMessage) => port.postMessage(message);
let connections: { readonly log: ReadableDB; readonly views: WritableDB } | undefined;
let stopped = false;
let running = false;
let graceTimer: NodeJS.Timeout | undefined;

function close(): void {
  stopped = true;
  clearTimeout(graceTimer);
  connections?.views.close();
  connections?.log.close();
  port.close();
}

try {
  const log = openReadable(join(start.dir, EVENTS_DB));
  connections = { log, views: openWritable(join(start.dir, VIEWS_DB), { durability: 'normal', busyTimeoutMs: 1000 }) };
  const projector = new ViewsProjector(new EventReader(log), connections.views);
  send({ type: 'checkpoint', ...projector.checkpoint, rebuiltBecause: projector.rebuiltBecause });

  const run = () => {
    if (stopped) return;
    try {
      // A wake that arrives meanwhile is covered: each step reads up to the head as it is then.
      if (projector.step(start.stepSize) > 0) {
        send({ type: 'checkpoint', ...projector.checkpoint, rebuiltBecause: null });
        setImmediate(run);
      } else running = false;
    } catch (error) {
      send({ type: 'failed', error: toErrorInfo(error) });
      close();
    }
  };
  const wake = () => {
    if (running) return;
    running = true;
    setImmediate(run);
  };
  // Far behind when the store opens (an import, a restore, a first open): the console's first screen is
  // loading right now, on the same cores, and is what the user waits for; the catch-up can wait a moment.
  if (start.behindAtOpen > start.graceAfter)
    graceTimer = setTimeout(() => {
      graceTimer = undefined;
      wake();
    }, start.graceMs);
  else wake();
  port.on('message', (request: ViewsWorkerRequest) => {
    if (request.type === 'stop') close();
    else if (graceTimer === undefined) wake();
  });
} catch (error) {
  send({ type: 'failed', error: toErrorInfo(error) });
  close();
}
