export * from './scim-schema';
export * from './templates';
