import * as pulumi from '@pulumi/pulumi';
import { createPlatform } from './platform';
import { loadStackConfig } from './stack-config';

// `pulumi up` on a stack (dev, prod): its Pulumi.<stack>.yaml plus its config secrets.
const platform = createPlatform(loadStackConfig(new pulumi.Config('localstore')));

export const namespace = platform.namespace;
export const appUrl = platform.appUrl;
export const tenantUrlPattern = platform.tenantUrlPattern;
export const grafanaDashboards = platform.grafanaDashboards;
export const pooledCell = platform.pooledCell;
