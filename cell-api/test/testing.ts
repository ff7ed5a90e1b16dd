/**
 * `@localstore/cell-api/testing`: what the flows (`flows/`) start and call a cell with.
 * Tests of other parts import the cell API only through here.
 */
export { loadCellConfig } from '../src/config/cell-config';
export { en } from '../src/errors/messages/en';
export { vi } from '../src/errors/messages/vi';
export { isTenantMovingError } from '../src/errors/tenant-moving';
export { subscribe, wsClient } from './graphql-ws-client';
export * from './operations';
export { type CallOptions, type GraphQLResponse, TestCell } from './test-cell';
export { type TestClaims, TestTokenIssuer } from './token-issuer';
