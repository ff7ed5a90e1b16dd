// The demo businesses live in common/: the control plane's directory registers the same ones.
export { DEMO_TENANTS, type DemoBusinessKind, type DemoLocation, type DemoTenant } from '@localstore/common';
