/** The console's own read models in views.db (events per minute, types, correlation links), caught up in a worker. */
export { ConsoleViews } from './consoleViews.js';
