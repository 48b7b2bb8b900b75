/** The demo data set (orders, payments, shipments) the console can load into a store. */
export { loadDemo, type LoadDemoInput } from './loadDemo.js';
