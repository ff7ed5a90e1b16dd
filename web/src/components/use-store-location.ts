'use client';
import { useEffect, useState } from 'react';
import { cellQuery } from '../lib/api/graphql';
import { LOCATIONS, type LocationSummary } from '../lib/api/operations';
import type { SignedIn } from './use-session';

/**
 * The locations this person may work at (their token's), and the one this device works
 * for, remembered per business. Kept locally too, so a tablet that reloads offline still knows.
 */
export function useStoreLocation(who: SignedIn | null) {
  const [locations, setLocations] = useState<LocationSummary[] | null>(null);
  const [locationId, setLocationIdState] = useState<string | null>(null);
  useEffect(() => {
    if (!who) return;
    const key = `localstore.locations.${who.tenant.slug}`;
    const apply = (all: LocationSummary[]) => {
      const mine = who.allowedLocations ? all.filter((l) => who.allowedLocations!.includes(l.id)) : all;
      setLocations(mine);
      const remembered = localStorage.getItem(`localstore.location.${who.tenant.slug}`);
      setLocationIdState(mine.find((l) => l.id === remembered)?.id ?? mine[0]?.id ?? null);
    };
    const cached = localStorage.getItem(key);
    if (cached) apply(JSON.parse(cached) as LocationSummary[]);
    cellQuery<{ locations: LocationSummary[] }>(who.tenant.slug, LOCATIONS).then(
      ({ locations: all }) => {
        localStorage.setItem(key, JSON.stringify(all));
        apply(all);
      },
      () => undefined,
    );
  }, [who]);
  const setLocationId = (id: string) => {
    if (who) localStorage.setItem(`localstore.location.${who.tenant.slug}`, id);
    setLocationIdState(id);
  };
  return { locations, locationId, setLocationId };
}
