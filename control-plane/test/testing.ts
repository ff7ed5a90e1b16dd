/**
 * `@localstore/control-plane/testing`: what the flows (`flows/`) start and call the control
 * plane with. Tests of other parts import the control plane only through here.
 */
export { openApiValidator } from './openapi';
export { type HttpAnswer, httpRequest, TestControlPlane } from './test-control-plane';
