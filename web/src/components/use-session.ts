'use client';
import { useEffect, useState } from 'react';
import { currentPlace, type Place } from '../lib/place';
import { claimsOf, consumeHandoff, loadSession, type Session } from '../lib/session';

export interface SignedIn {
  session: Session;
  place: Place;
  /** The business this screen works for (the host's on `<slug>.<domain>`, the chosen one on app). */
  tenant: NonNullable<Session['tenant']>;
  /** Location ids the token covers, or null for every location. */
  allowedLocations: string[] | null;
}

/**
 * The signed-in person for this screen, or a redirect to sign in (or to choose a business).
 * On a store host the token must be for that store; a session for another one is not used.
 */
export function useSignedIn(): SignedIn | null {
  const [signedIn, setSignedIn] = useState<SignedIn | null>(null);
  useEffect(() => {
    let cancelled = false;
    const read = async () => {
      await consumeHandoff();
      if (cancelled) return;
      const session = loadSession();
      const place = currentPlace();
      const back = encodeURIComponent(window.location.pathname + window.location.search);
      if (!session) return window.location.replace(`/login/?next=${back}`);
      if (!session.tenant || (place.kind === 'tenant' && session.tenant.slug !== place.slug)) {
        return window.location.replace(place.kind === 'tenant' ? `/login/?next=${back}` : '/tenants/');
      }
      const locs = claimsOf(session.accessToken).locs;
      setSignedIn({
        session,
        place,
        tenant: session.tenant,
        allowedLocations: locs === undefined || locs === '*' ? null : Array.isArray(locs) ? locs : [locs],
      });
    };
    void read();
    const onChange = () => void read();
    window.addEventListener('localstore-session', onChange);
    return () => {
      cancelled = true;
      window.removeEventListener('localstore-session', onChange);
    };
  }, []);
  return signedIn;
}

/** Whether the device has a connection, as the browser tells it. */
export function useOnline(): boolean {
  const [online, setOnline] = useState(true);
  useEffect(() => {
    setOnline(navigator.onLine);
    const update = () => setOnline(navigator.onLine);
    window.addEventListener('online', update);
    window.addEventListener('offline', update);
    return () => {
      window.removeEventListener('online', update);
      window.removeEventListener('offline', update);
    };
  }, []);
  return online;
}
