export * from './scim-schema';
export * from './template';
export * from './templates';
export * from './tutorial';
export * from './logo';
