export * from './processes';
export * from './test-servers';
export * from './waits';
