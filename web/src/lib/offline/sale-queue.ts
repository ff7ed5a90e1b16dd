import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import { cellQuery, GraphQLProblem, NetworkProblem } from '../api/graphql';
import { RECORD_SALE, type SaleInput } from '../api/operations';

/**
 * Every sale goes through this queue, online or not: it is written to IndexedDB first (with
 * the order id the device chose), then sent. A sale is removed only once the cell has
 * answered with it, so a lost connection, a closed tab or a crash loses nothing; sending it
 * again is safe because the cell records an order id once.
 */
export interface QueuedSale {
  id: string;
  slug: string;
  input: SaleInput;
  total: number;
  queuedAt: number;
  attempts: number;
  /** The cell refused it (bad input): kept for a person to see, never sent again. */
  refused?: { code: string; message: string; field?: string };
}

interface SaleQueueDb extends DBSchema {
  sales: { key: string; value: QueuedSale; indexes: { bySlug: string } };
}

let opened: Promise<IDBPDatabase<SaleQueueDb>> | null = null;

/**
 * One connection per page, opened on first use: opening costs more than a read on a slow
 * tablet, and a sale touches the queue several times. A newer version in another tab, or
 * the browser closing the connection, makes the next call open a new one.
 */
function database(): Promise<IDBPDatabase<SaleQueueDb>> {
  opened ??= openDB<SaleQueueDb>('localstore', 1, {
    upgrade(db) {
      db.createObjectStore('sales', { keyPath: 'id' }).createIndex('bySlug', 'slug');
    },
    blocking(_current, _next, event) {
      (event.target as IDBDatabase).close();
      opened = null;
    },
    terminated() {
      opened = null;
    },
  }).catch((error: unknown) => {
    opened = null;
    throw error;
  });
  return opened;
}

export async function enqueueSale(slug: string, input: SaleInput, total: number): Promise<void> {
  await (await database()).put('sales', { id: input.id, slug, input, total, queuedAt: Date.now(), attempts: 0 });
  announce();
}

export async function queuedSales(slug: string): Promise<QueuedSale[]> {
  const all = await (await database()).getAllFromIndex('sales', 'bySlug', slug);
  return all.sort((a, b) => a.queuedAt - b.queuedAt);
}

export async function discardSale(id: string): Promise<void> {
  await (await database()).delete('sales', id);
  announce();
}

/** `sent`: the ids of the sales the cell recorded in this pass, oldest first. */
export type SendOutcome = { sent: string[]; stillQueued: number };

/**
 * Sends what is waiting, oldest first; stops at the first network failure (the rest would
 * fail too). One tab sends at a time (a Web Lock), so two open tabs do not race.
 */
export function sendQueuedSales(slug: string): Promise<SendOutcome> {
  const work = async (): Promise<SendOutcome> => {
    const db = await database();
    const sent: string[] = [];
    for (const sale of await queuedSales(slug)) {
      if (sale.refused) continue;
      try {
        await cellQuery(slug, RECORD_SALE, { input: sale.input });
        await db.delete('sales', sale.id);
        sent.push(sale.id);
      } catch (error) {
        if (error instanceof NetworkProblem || (error instanceof GraphQLProblem && isRetryable(error))) {
          await db.put('sales', { ...sale, attempts: sale.attempts + 1 });
          break;
        }
        const problem = error instanceof GraphQLProblem ? error : new GraphQLProblem(String(error), 'ERROR');
        await db.put('sales', {
          ...sale,
          attempts: sale.attempts + 1,
          refused: { code: problem.code, message: problem.message, ...(problem.field ? { field: problem.field } : {}) },
        });
      }
    }
    announce();
    const stillQueued = (await queuedSales(slug)).filter((s) => !s.refused).length;
    return { sent, stillQueued };
  };
  // The lock's promise settles with the callback's own result (its typings nest the promise).
  return navigator.locks ? (navigator.locks.request(`localstore-sales-${slug}`, work) as unknown as Promise<SendOutcome>) : work();
}

/** Worth another try later: the cell was busy, moving, or failed on its side. */
function isRetryable(error: GraphQLProblem): boolean {
  return ['TENANT_MOVING', 'INTERNAL_SERVER_ERROR', 'UNAUTHENTICATED', 'SERVICE_UNAVAILABLE'].includes(error.code);
}

const CHANGED = 'localstore-sales-queue';
function announce(): void {
  window.dispatchEvent(new Event(CHANGED));
}
export function onQueueChange(listener: () => void): () => void {
  window.addEventListener(CHANGED, listener);
  return () => window.removeEventListener(CHANGED, listener);
}
