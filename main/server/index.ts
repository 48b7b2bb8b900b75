/** Serve mode: the console's files and its WebSocket API on a loopback port, behind sign-in. */
export { startServer, type RunningServer, type ServeOptions } from './server.js';
