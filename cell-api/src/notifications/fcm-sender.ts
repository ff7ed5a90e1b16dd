import { importPKCS8, SignJWT } from 'jose';
import type { CellConfig } from '../config/cell-config';
import { type PushMessage, type PushOutcome, PushRetryableError } from './push-message';

const SCOPE = 'https://www.googleapis.com/auth/firebase.messaging';
const TIMEOUT_MS = 10_000;

/**
 * Firebase Cloud Messaging, HTTP v1: an OAuth 2.0 access token from the service account (a
 * JWT signed RS256 with its private key, exchanged at its `token_uri`, kept until shortly
 * before it expires), then `POST /v1/projects/{project}/messages:send` per device.
 */
export class FcmSender {
  private accessToken?: { value: string; expiresAt: number };

  constructor(private readonly account: NonNullable<CellConfig['notifications']['fcm']>) {}

  async send(registrationToken: string, message: PushMessage): Promise<PushOutcome> {
    const response = await this.post(registrationToken, message);
    if (response.status === 401) {
      // The token was revoked early: get a new one, once.
      this.accessToken = undefined;
      return this.outcomeOf(await this.post(registrationToken, message));
    }
    return this.outcomeOf(response);
  }

  private async post(registrationToken: string, message: PushMessage): Promise<Response> {
    return fetch(`${this.account.apiUrl}/v1/projects/${encodeURIComponent(this.account.projectId)}/messages:send`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await this.token()}`, 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({
        message: {
          token: registrationToken,
          notification: { title: message.title, body: message.body },
          data: message.data,
          android: { priority: 'high' },
        },
      }),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  }

  private async outcomeOf(response: Response): Promise<PushOutcome> {
    if (response.ok) return 'sent';
    const text = await response.text();
    let code = '';
    try {
      const details = (JSON.parse(text) as { error?: { status?: string; details?: { errorCode?: string }[] } }).error;
      code = details?.details?.find((d) => d.errorCode)?.errorCode ?? details?.status ?? '';
    } catch {
      // Not JSON: judged by its status alone.
    }
    // FCM's word for a token that will never work again.
    if (code === 'UNREGISTERED' || (response.status === 400 && code === 'INVALID_ARGUMENT') || response.status === 404) return 'gone';
    throw new PushRetryableError(`FCM answered ${response.status} ${code}`);
  }

  private async token(): Promise<string> {
    if (this.accessToken && this.accessToken.expiresAt > Date.now() + 60_000) return this.accessToken.value;
    const key = await importPKCS8(this.account.privateKey, 'RS256');
    const now = Math.floor(Date.now() / 1000);
    const assertion = await new SignJWT({ scope: SCOPE })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
      .setIssuer(this.account.clientEmail)
      .setAudience(this.account.tokenUri)
      .setIssuedAt(now)
      .setExpirationTime(now + 3600)
      .sign(key);
    const response = await fetch(this.account.tokenUri, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }).toString(),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    if (!response.ok) throw new PushRetryableError(`the OAuth token endpoint answered ${response.status}`);
    const { access_token: value, expires_in: expiresIn } = (await response.json()) as { access_token: string; expires_in: number };
    this.accessToken = { value, expiresAt: Date.now() + expiresIn * 1000 };
    return value;
  }
}
