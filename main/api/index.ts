/** The contract's handlers and the one pipeline every caller goes through (DESIGN §3). */
export { handlers } from './handlers/index.js';
export { ApiPipeline, type SubscriptionHandle } from './pipeline.js';
