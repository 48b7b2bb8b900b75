import type { HandlersFor } from '../handler.js';

export const jobHandlers: HandlersFor<'jobs.list' | 'jobs.cancel' | 'jobs.updates'> = {
  'jobs.list': (_input, { host }) => host.jobs.list(),
  'jobs.cancel': ({ jobId }, { host }) => ({ cancelled: host.jobs.cancel(jobId) }),
  'jobs.updates': ({ jobId }, { host }, push) =>
    host.jobs.onUpdate((job) => {
      if (jobId === undefined || job.id === jobId) push(job);
    }),
};
