/**
 * `@localstore/operator/testing`: what the flows (`flows/`) start and inspect the operator
 * with. Tests of other parts import the operator only through here.
 */
export * from './kube-harness';
export { loadOperatorConfig, type OperatorConfig } from '../src/config/operator-config';
export { cellNamespace } from '../src/cells/cell-resources';
export { FIELD_MANAGER, KubeClient } from '../src/kube/kube-client';
export { API_VERSION, type Cell, MANAGED_BY, type Tenant } from '../src/kube/resources';
export { Operator } from '../src/operator';
export { CAPTURE_TRIGGER, ChangeCapture } from '../src/promotion/change-capture';
export { type CopyEndpoint, TenantRowCopier } from '../src/promotion/tenant-row-copier';
export { drainWentOnWaiting } from './drain-watch';
