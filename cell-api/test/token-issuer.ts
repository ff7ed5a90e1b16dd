import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type KeyLike, SignJWT } from 'jose';

export interface TestClaims {
  sub: string;
  tid: string;
  role: 'owner' | 'manager' | 'staff';
  locs: string[] | '*';
}

/**
 * Stands in for the control plane's token side: an ES256 key pair made for the test run,
 * its public half served as a JWKS over real HTTP, and a signer for access tokens.
 */
export class TestTokenIssuer {
  private constructor(
    private readonly privateKey: KeyLike,
    private readonly server: Server,
    readonly jwksUrl: string,
    readonly issuer: string,
    readonly audience: string,
  ) {}

  static async start(issuer = 'localstore-control-plane', audience = 'localstore-cell'): Promise<TestTokenIssuer> {
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'test-key-1', alg: 'ES256', use: 'sig' };
    const server = createServer((req, res) => {
      if (req.url === '/.well-known/jwks.json') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return new TestTokenIssuer(privateKey, server, `http://127.0.0.1:${port}/.well-known/jwks.json`, issuer, audience);
  }

  sign(claims: TestClaims, options: { expiresIn?: string | number; key?: KeyLike; issuer?: string } = {}): Promise<string> {
    return new SignJWT({ tid: claims.tid, role: claims.role, locs: claims.locs })
      .setProtectedHeader({ alg: 'ES256', kid: 'test-key-1' })
      .setSubject(claims.sub)
      .setIssuer(options.issuer ?? this.issuer)
      .setAudience(this.audience)
      .setIssuedAt()
      .setExpirationTime(options.expiresIn ?? '15m')
      .sign(options.key ?? this.privateKey);
  }

  /** A control-plane service token carrying `scope`, as the control plane makes them. */
  signService(scope: string): Promise<string> {
    return new SignJWT({ scope })
      .setProtectedHeader({ alg: 'ES256', kid: 'test-key-1' })
      .setSubject('control-plane')
      .setIssuer(this.issuer)
      .setAudience(this.audience)
      .setExpirationTime('1m')
      .sign(this.privateKey);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
