export * from './access-token';
export * from './holidays';
export * from './money';
export * from './tenant-host';
export * from './time';
export * from './phone';
export * from './demo-tenants';
export * from './slug';
