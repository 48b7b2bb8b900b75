/** Domain work run off the main loop: the job table of worker threads (verify, backup, restore, drill, demo). */
export { runJob } from './runJob.js';
