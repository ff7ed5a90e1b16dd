import { currentLanguage } from './i18n/i18n';

/** A business the person belongs to, as the control plane lists it. */
export interface Membership {
  id: string;
  slug: string;
  name: string;
  role: 'owner' | 'manager' | 'staff';
}

export interface Session {
  accessToken: string;
  refreshToken: string;
  /** Epoch ms when the access token stops being accepted. */
  expiresAt: number;
  tenant: Membership | null;
  tenants: Membership[];
}

interface TokenPair {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  tenant: Membership | null;
  tenants: Membership[];
}

/** The claims the app reads from its own access token (the cell checks the signature). */
export interface AccessClaims {
  sub: string;
  tid?: string;
  role?: Membership['role'];
  /** `*` for every location, else the location ids. */
  locs?: string | string[];
}

const STORAGE_KEY = 'localstore.session';
/** Refresh a little before expiry, so a request never leaves with a token about to lapse. */
const REFRESH_MARGIN_MS = 60_000;

/** A refusal from the control plane (RFC 9457 problem), naming the field when there is one. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export function loadSession(): Session | null {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

function saveSession(session: Session | null): void {
  if (session) localStorage.setItem(STORAGE_KEY, JSON.stringify(session));
  else localStorage.removeItem(STORAGE_KEY);
  window.dispatchEvent(new Event('localstore-session'));
}

function sessionOf(pair: TokenPair): Session {
  return {
    accessToken: pair.accessToken,
    refreshToken: pair.refreshToken,
    expiresAt: Date.now() + pair.expiresIn * 1000,
    tenant: pair.tenant,
    tenants: pair.tenants,
  };
}

export function claimsOf(token: string): AccessClaims {
  const payload = token.split('.')[1] ?? '';
  const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
  return JSON.parse(decodeURIComponent(escape(json))) as AccessClaims;
}

/** Identity lives on the control plane and is answered on every host of the platform. */
async function authCall<T>(path: string, body: unknown, accessToken?: string): Promise<T> {
  const response = await fetch(`/api/v1/auth/${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'accept-language': currentLanguage(),
      ...(accessToken ? { authorization: `Bearer ${accessToken}` } : {}),
    },
    body: JSON.stringify(body),
  });
  if (response.status === 204) return undefined as T;
  const json = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) {
    const field =
      typeof json.field === 'string' ? json.field : Array.isArray(json.errors) ? (json.errors[0] as { field?: string })?.field : undefined;
    throw new ApiProblem(response.status, String(json.code ?? 'ERROR'), String(json.title ?? json.detail ?? response.statusText), field);
  }
  return json as T;
}

export function requestCode(phone: string): Promise<{ phone: string; expiresIn: number }> {
  return authCall('otp/request', { phone });
}

export async function verifyCode(phone: string, code: string): Promise<Session> {
  const session = sessionOf(await authCall<TokenPair>('otp/verify', { phone, code }));
  saveSession(session);
  return session;
}

export async function switchTenant(tenantId: string): Promise<Session> {
  const session = sessionOf(await authCall<TokenPair>('switch-tenant', { tenantId }, await accessToken()));
  saveSession(session);
  return session;
}

/**
 * A new login for another of the platform's hosts: a fresh refresh-token family for that
 * business, handed over in the URL fragment (never sent to a server), so rotating it there
 * never collides with this host's own family.
 */
export async function handoffFor(tenantId: string): Promise<string> {
  const pair = await authCall<TokenPair>('switch-tenant', { tenantId }, await accessToken());
  return pair.refreshToken;
}

/** On arrival from the platform app: exchange the handed-over refresh token for a session here. */
export async function consumeHandoff(): Promise<boolean> {
  const match = /(?:^#|&)handoff=([^&]+)/.exec(window.location.hash);
  if (!match) return false;
  history.replaceState(null, '', window.location.pathname + window.location.search);
  try {
    saveSession(sessionOf(await authCall<TokenPair>('refresh', { refreshToken: decodeURIComponent(match[1]!) })));
    return true;
  } catch {
    return false;
  }
}

export async function signOut(): Promise<void> {
  const session = loadSession();
  saveSession(null);
  if (session) await authCall('logout', { refreshToken: session.refreshToken }).catch(() => undefined);
}

let refreshing: Promise<Session | null> | null = null;

/**
 * A valid access token, refreshed when it is about to lapse. Refresh tokens rotate and a
 * reused one revokes the whole login, so tabs refresh one at a time (a Web Lock) and a tab
 * that waited uses what the other one stored.
 */
export async function accessToken(): Promise<string> {
  const session = loadSession();
  if (!session) throw new ApiProblem(401, 'TOKEN_MISSING', 'not signed in');
  if (session.expiresAt - Date.now() > REFRESH_MARGIN_MS) return session.accessToken;
  refreshing ??= withRefreshLock(async () => {
    const latest = loadSession();
    if (!latest) return null;
    if (latest.expiresAt - Date.now() > REFRESH_MARGIN_MS) return latest;
    try {
      const next = sessionOf(await authCall<TokenPair>('refresh', { refreshToken: latest.refreshToken }));
      saveSession(next);
      return next;
    } catch (error) {
      if (error instanceof ApiProblem && error.status < 500) saveSession(null);
      throw error;
    }
  }).finally(() => (refreshing = null));
  const next = await refreshing;
  if (!next) throw new ApiProblem(401, 'TOKEN_MISSING', 'not signed in');
  return next.accessToken;
}

function withRefreshLock<T>(work: () => Promise<T>): Promise<T> {
  return navigator.locks ? (navigator.locks.request('localstore-refresh', work) as unknown as Promise<T>) : work();
}
