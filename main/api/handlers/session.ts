import type { HandlersFor } from '../handler.js';

export const sessionHandlers: HandlersFor<'session.info'> = {
  'session.info': (_input, { host, principal }) => host.session(principal),
};
