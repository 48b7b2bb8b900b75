/** The contract's handlers and the one pipeline every caller goes through (DESIGN §3). */
export { ApiPipeline, type FinalOf, type SubscriptionHandle } from './pipeline.js';
export { loadAllHandlers } from './handlers/index.js';
