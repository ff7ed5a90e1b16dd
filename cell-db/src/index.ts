export * from './data-source';
export * from './identifiers';
export * from './migrate';
export * from './schema-facts';
export * from './tenant-rows';
export * from './tenant-tables';
export * from './tenant-transaction';
