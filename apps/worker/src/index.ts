// The worker as a library, for its own tests and for tools that run cycles in-process.
export { readWorkerConfig, type WorkerConfig } from './config';
export { ProvisioningWorker, type WorkerOptions } from './worker';
export { runCycle, type CycleDeps, type CycleReport } from './run-cycle';
export { createHttpTransport } from './http-transport';
export { runOnDemand, type OnDemandReport } from './on-demand';
