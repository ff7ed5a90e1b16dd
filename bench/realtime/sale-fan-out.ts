// Sale → screens: how long a recorded sale takes to reach every screen of its location, half
// of them on the cell that recorded it and half on the other cell, through the Redis adapter.
import { epochMs, summarize, type Summary } from '../lib/measure';
import type { Screens } from './screens';
import { FAN_OUT_TIMEOUT_MS, type RealtimeSettings } from './settings';
import type { SaleOn } from './stack';

export interface SaleFanOut {
  /** recordSale answered → the last screen got the sale's `dashboard.delta`. */
  toLast: Summary;
  toFirst: Summary;
  recordingCell: Summary;
  otherCell: Summary;
  /** recordSale sent → the last screen. */
  fromSent: Summary;
  recordSale: Summary;
  errors: number;
  firstErrors: string[];
}

/**
 * Sales one at a time, alternately on each cell: from the moment recordSale's answer is
 * here to the moment the last screen has the sale's `dashboard.delta`. Half the screens
 * are on the cell that recorded the sale; the other half get it through Redis.
 */
export async function measureSaleFanOut(
  settings: RealtimeSettings,
  { sale, screens }: { sale: SaleOn; screens: Screens },
): Promise<SaleFanOut> {
  const samples = {
    toLast: [] as number[],
    toFirst: [] as number[],
    recordingCell: [] as number[],
    otherCell: [] as number[],
    fromSent: [] as number[],
    recordSale: [] as number[],
  };
  const errors: string[] = [];
  for (let i = 0; i < settings.warmup + settings.sales; i++) {
    const cell = i % 2;
    const { id, send } = sale(cell, 'CASH');
    const delivered = screens.expect('dashboard.delta', id);
    const sentAt = epochMs();
    const answer = await send();
    const answeredAt = epochMs();
    if (answer.error) {
      screens.forget('dashboard.delta', id);
      errors.push(`recordSale: ${answer.error}`);
      continue;
    }
    const got = await delivered;
    if (!got.complete) {
      errors.push(`sale ${id}: ${got.count} of ${settings.clients} screens got dashboard.delta within ${FAN_OUT_TIMEOUT_MS / 1000} s`);
      continue;
    }
    if (i < settings.warmup) continue;
    samples.toLast.push(got.lastAt - answeredAt);
    samples.toFirst.push(got.firstAt - answeredAt);
    samples.recordingCell.push(got.lastOnCell[cell]! - answeredAt);
    samples.otherCell.push(got.lastOnCell[1 - cell]! - answeredAt);
    samples.fromSent.push(got.lastAt - sentAt);
    samples.recordSale.push(answer.ms);
  }
  return {
    toLast: summarize(samples.toLast),
    toFirst: summarize(samples.toFirst),
    recordingCell: summarize(samples.recordingCell),
    otherCell: summarize(samples.otherCell),
    fromSent: summarize(samples.fromSent),
    recordSale: summarize(samples.recordSale),
    errors: errors.length,
    firstErrors: [...new Set(errors)].slice(0, 3),
  };
}
