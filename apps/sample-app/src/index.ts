export { buildSampleApp, type SampleAppOptions } from './app';
export { defaultFaults, faultEnvironmentVariables, type FaultSettings } from './faults';
export type { RequestLogEntry, RequestLogOptions } from './request-log';
export { readSampleAppConfig, type SampleAppConfig } from './config';
