export { buildApp, type BuildAppOptions, type ProvisioApp } from './app';
export { ensureAdminAccount } from './auth/accounts';
export { hashPassword, verifyPassword } from './auth/password';
export { readConfig, DEFAULT_CYCLE_INTERVAL_SECONDS, type ServerConfig } from './config';
export { AppError } from './errors';
export { seedDemo, isDirectoryEmpty, type DemoSummary } from './seed/demo';
