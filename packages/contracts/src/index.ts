export * from './common';
export * from './auth';
export * from './directory';
export * from './applications';
export * from './synchronization';
export * from './provisioning-logs';
export * from './cycles';
export * from './attribute-mappings';
