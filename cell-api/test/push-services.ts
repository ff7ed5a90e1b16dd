import { createECDH, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { importJWK, importSPKI, jwtVerify } from 'jose';

const ece = createRequire(__filename)('http_ece') as {
  decrypt(buffer: Buffer, params: { version: string; privateKey: ReturnType<typeof createECDH>; authSecret: Buffer }): Buffer;
};

async function bodyOf(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/**
 * Firebase's two endpoints, as a local server: Google's OAuth token endpoint (checks the
 * service account's RS256 JWT: issuer, audience, scope, lifetime, signature) and FCM HTTP v1
 * `messages:send` (checks the bearer token it issued, the project, the message's shape).
 */
export class FakeFcm {
  readonly messages: { token: string; title: string; body: string; data: Record<string, string> }[] = [];
  readonly refused: string[] = [];
  /** Registration tokens FCM no longer knows: answered 404 UNREGISTERED. */
  readonly unregistered = new Set<string>();
  /** While set, every send fails with 503 (FCM is down). */
  down = false;
  private readonly issued = new Set<string>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
    readonly serviceAccount: { project_id: string; client_email: string; private_key: string; token_uri: string },
  ) {}

  static async start(): Promise<FakeFcm> {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const holder: { fcm?: FakeFcm } = {};
    const server = createServer((req, res) => void holder.fcm!.handle(req, res.writeHead.bind(res), res.end.bind(res), publicKey));
    const url = await listen(server);
    holder.fcm = new FakeFcm(server, url, {
      project_id: 'localstore-test',
      client_email: 'push@localstore-test.iam.gserviceaccount.com',
      private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      token_uri: `${url}/token`,
    });
    return holder.fcm;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(
    req: IncomingMessage,
    head: (status: number, headers?: Record<string, string>) => unknown,
    end: (body?: string) => unknown,
    publicKey: KeyObject,
  ): Promise<void> {
    const send = (status: number, body: object) => {
      head(status, { 'content-type': 'application/json' });
      end(JSON.stringify(body));
    };
    const body = (await bodyOf(req)).toString('utf8');
    if (req.method === 'POST' && req.url === '/token') {
      const form = new URLSearchParams(body);
      if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') return send(400, { error: 'unsupported_grant_type' });
      try {
        const key = await importSPKI(publicKey.export({ type: 'spki', format: 'pem' }).toString(), 'RS256');
        const { payload } = await jwtVerify(form.get('assertion') ?? '', key, {
          issuer: this.serviceAccount.client_email,
          audience: this.serviceAccount.token_uri,
          algorithms: ['RS256'],
        });
        if (payload.scope !== 'https://www.googleapis.com/auth/firebase.messaging' || (payload.exp ?? 0) - (payload.iat ?? 0) > 3600)
          throw new Error('scope or lifetime');
      } catch (error) {
        this.refused.push(`token: ${(error as Error).message}`);
        return send(400, { error: 'invalid_grant' });
      }
      const token = `ya29.${randomBytes(24).toString('base64url')}`;
      this.issued.add(token);
      return send(200, { access_token: token, expires_in: 3599, token_type: 'Bearer' });
    }
    if (req.method === 'POST' && req.url === `/v1/projects/${this.serviceAccount.project_id}/messages:send`) {
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (!bearer || !this.issued.has(bearer)) {
        this.refused.push('send: bearer');
        return send(401, { error: { code: 401, status: 'UNAUTHENTICATED' } });
      }
      if (this.down) return send(503, { error: { code: 503, status: 'UNAVAILABLE' } });
      const message = (
        JSON.parse(body) as {
          message?: { token?: unknown; notification?: { title?: unknown; body?: unknown }; data?: Record<string, unknown> };
        }
      ).message;
      const dataOk = message?.data && Object.values(message.data).every((v) => typeof v === 'string');
      if (
        typeof message?.token !== 'string' ||
        typeof message.notification?.title !== 'string' ||
        typeof message.notification.body !== 'string' ||
        !dataOk
      ) {
        this.refused.push('send: shape');
        return send(400, { error: { code: 400, status: 'INVALID_ARGUMENT' } });
      }
      if (this.unregistered.has(message.token))
        return send(404, {
          error: {
            code: 404,
            status: 'NOT_FOUND',
            details: [{ '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode: 'UNREGISTERED' }],
          },
        });
      this.messages.push({
        token: message.token,
        title: message.notification.title,
        body: message.notification.body,
        data: message.data as Record<string, string>,
      });
      return send(200, { name: `projects/${this.serviceAccount.project_id}/messages/${randomBytes(8).toString('hex')}` });
    }
    send(404, { error: { code: 404 } });
  }
}

/** A browser's push subscription, with the private half the test keeps to read what arrives. */
export interface BrowserSubscription {
  endpoint: string;
  p256dh: string;
  auth: string;
  ecdh: ReturnType<typeof createECDH>;
  authSecret: Buffer;
}

/**
 * A Web Push service (what a browser vendor runs), as a local server: checks the VAPID
 * authorisation (RFC 8292: an ES256 JWT for its own origin, signed by the key in `k`) and the
 * headers, then decrypts the payload (RFC 8291, with http_ece, the reference implementation)
 * with the subscriber's keys. Paths under `/gone/` answer 410, as for an expired subscription.
 */
export class FakePushService {
  readonly received: { endpoint: string; payload: Record<string, unknown> }[] = [];
  readonly refused: string[] = [];
  private readonly subscribers = new Map<string, BrowserSubscription>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly vapidPublicKey: string,
  ) {}

  static async start(vapidPublicKey: string): Promise<FakePushService> {
    const holder: { push?: FakePushService } = {};
    const server = createServer((req, res) => void holder.push!.handle(req, (status) => res.writeHead(status).end()));
    holder.push = new FakePushService(server, await listen(server), vapidPublicKey);
    return holder.push;
  }

  /** What a browser's pushManager.subscribe() gives the app. */
  subscribe(gone = false): BrowserSubscription {
    const ecdh = createECDH('prime256v1');
    const publicKey = ecdh.generateKeys();
    const authSecret = randomBytes(16);
    const subscription = {
      endpoint: `${this.url}/${gone ? 'gone' : 'push'}/${randomBytes(12).toString('hex')}`,
      p256dh: publicKey.toString('base64url'),
      auth: authSecret.toString('base64url'),
      ecdh,
      authSecret,
    };
    this.subscribers.set(new URL(subscription.endpoint).pathname, subscription);
    return subscription;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, answer: (status: number) => void): Promise<void> {
    const body = await bodyOf(req);
    const path = req.url ?? '';
    if (path.startsWith('/gone/')) return answer(410);
    const subscriber = this.subscribers.get(path);
    if (req.method !== 'POST' || !subscriber) return answer(404);
    const vapid = /^vapid t=([^,]+), k=([A-Za-z0-9_-]+)$/.exec(req.headers.authorization ?? '');
    try {
      if (!vapid || vapid[2] !== this.vapidPublicKey) throw new Error('no VAPID authorisation with our key');
      const raw = Buffer.from(vapid[2], 'base64url');
      const key = await importJWK(
        { kty: 'EC', crv: 'P-256', x: raw.subarray(1, 33).toString('base64url'), y: raw.subarray(33).toString('base64url') },
        'ES256',
      );
      const { payload } = await jwtVerify(vapid[1]!, key, { audience: this.url, algorithms: ['ES256'] });
      if (!payload.sub?.startsWith('mailto:') && !payload.sub?.startsWith('https:')) throw new Error('VAPID sub');
      if ((payload.exp ?? 0) > Date.now() / 1000 + 24 * 3600) throw new Error('VAPID exp more than 24 h ahead');
      if (req.headers['content-encoding'] !== 'aes128gcm' || !req.headers.ttl) throw new Error('headers');
      const plaintext = ece.decrypt(body, { version: 'aes128gcm', privateKey: subscriber.ecdh, authSecret: subscriber.authSecret });
      this.received.push({ endpoint: subscriber.endpoint, payload: JSON.parse(plaintext.toString('utf8')) as Record<string, unknown> });
      answer(201);
    } catch (error) {
      this.refused.push((error as Error).message);
      answer(403);
    }
  }
}

/** A VAPID key pair as `VAPID_PUBLIC_KEY` / `VAPID_PRIVATE_KEY` take it. */
export function vapidKeys(): { publicKey: string; privateKey: string } {
  const ecdh = createECDH('prime256v1');
  const publicKey = ecdh.generateKeys().toString('base64url');
  const raw = ecdh.getPrivateKey();
  return { publicKey, privateKey: Buffer.concat([Buffer.alloc(32 - raw.length), raw]).toString('base64url') };
}
