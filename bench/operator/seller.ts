// The seller of the promotion: one client recording sales back to back through the router,
// as the chain's owner, keeping each acknowledgement and each refusal with its moment, from
// which the write pause and the refused time are computed.
import { randomUUID } from 'node:crypto';
import type { Answer, HttpClient } from '../lib/http-client';
import { epochMs, sleep } from './time';

const RECORD_SALE = `mutation RecordSale($input: RecordSaleInput!) { recordSale(input: $input) { id total } }`;

/** An acknowledged sale: its first try, its acknowledgement, the last try's time and the retries before it. */
export interface Ack {
  id: string;
  total: number;
  firstTryAt: number;
  ackAt: number;
  lastTryMs: number;
  retries: number;
}

/** A try refused (503, 502 or no answer), by whom (the router's or the cell's code). */
export interface Refusal {
  at: number;
  status: number;
  by: string;
}

/**
 * A refused sale (503 from the router while the route drains or from the cell while its rows
 * are frozen, 502, or no answer) is sent again with the same id after Retry-After, capped at
 * `retryCapMs` so the pause is measured to about that; anything else counts as an error and
 * the next sale starts.
 */
export class Seller {
  readonly acks: Ack[] = [];
  readonly refusals: Refusal[] = [];
  readonly errors: string[] = [];
  stopping = false;
  private running: Promise<void> | undefined;

  constructor(
    private readonly client: HttpClient,
    private readonly locationId: string,
    private readonly itemIds: string[],
    private readonly retryCapMs: number,
  ) {}

  start(): void {
    this.running = (async () => {
      for (let n = 0; !this.stopping; n++) await this.sell(n);
    })();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.running;
  }

  private async sell(n: number): Promise<void> {
    const input = {
      id: randomUUID(),
      locationId: this.locationId,
      items: [{ itemId: this.itemIds[n % this.itemIds.length], quantity: 1 + (n % 3), modifiers: [] }],
      paymentMethod: n % 2 ? 'MOMO' : 'CASH',
    };
    const firstTryAt = epochMs();
    for (let retries = 0; ; retries++) {
      const sentAt = epochMs();
      let answer: Answer<any>;
      try {
        answer = await this.client.postJson('/graphql', { query: RECORD_SALE, variables: { input } });
      } catch (error) {
        answer = { status: 0, headers: {}, body: { code: 'NO_ANSWER', detail: (error as Error).message } };
      }
      const at = epochMs();
      const sale = answer.body?.data?.recordSale;
      if (answer.status === 200 && sale) {
        this.acks.push({ id: sale.id, total: Number(sale.total), firstTryAt, ackAt: at, lastTryMs: at - sentAt, retries });
        return;
      }
      if ([0, 502, 503].includes(answer.status)) {
        const by: string = answer.body?.code ?? answer.body?.errors?.[0]?.extensions?.reason ?? `HTTP ${answer.status}`;
        this.refusals.push({ at, status: answer.status, by });
        if (at - firstTryAt > 120_000) {
          this.errors.push(`sale ${input.id} not acknowledged after 120 s of retries (last: ${by})`);
          return;
        }
        const retryAfter = Number(answer.headers?.['retry-after'] ?? 1);
        await sleep(Math.min(Number.isFinite(retryAfter) ? retryAfter * 1000 : 1000, this.retryCapMs));
        continue;
      }
      const first = answer.body?.errors?.[0];
      this.errors.push(
        `HTTP ${answer.status} ${first ? `${first.extensions?.code ?? ''} ${first.extensions?.reason ?? ''} ${first.message}` : JSON.stringify(answer.body).slice(0, 200)}`.trim(),
      );
      return;
    }
  }
}
