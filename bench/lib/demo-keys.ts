// The demo's own ES256 key (`.local/demo/`, AUTH_JWKS_FILE), which a cell started without a
// control plane trusts: the bench signs its owners' and services' tokens with it.
import { cellConfig, cellDemoTokens } from './compiled';
import { BenchError } from './output';

export type TokenSigner = Awaited<ReturnType<ReturnType<typeof cellDemoTokens>['demoSigningKey']>>;

/** The JWKS file of the embedded demo keys, as the cell's config names it. */
export function demoJwksFile(): string {
  const { jwksFile } = cellConfig().loadCellConfig().auth;
  if (!jwksFile) throw new BenchError('the cell config names no AUTH_JWKS_FILE: the bench signs with the embedded demo keys');
  return jwksFile;
}

/** Signs tokens the demo cell trusts. */
export function demoSigner(): Promise<TokenSigner> {
  return cellDemoTokens().demoSigningKey(demoJwksFile());
}
