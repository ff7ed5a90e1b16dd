// Tap to saved, on the sales page at tablet size: from the tap on "Ghi đơn" (the pointer
// event's own time stamp, so input delay counts) to the frame after the "saved" toast appears,
// the cell having answered; with the recordSale request's own round trip, to tell it from the
// browser's work. The figures count only if each tap made exactly one order.
import type { Browser } from 'playwright-core';
import { TABLET } from '@localstore/flows/harness/chromium';
import { HttpClient, must } from '../lib/http-client';
import { BenchError } from '../lib/output';
import { measureLoad, openDevice } from './page-load';
import { armSavedWatch, type Instrument, savedResult } from './page-probes';
import type { StoredSession } from './sessions';

const SOLD_DISH = 'Phở bò tái';
const TODAY_ORDERS = `query BenchWebTodayOrders { locations { id todayOrders } }`;

interface TodayOrders {
  locations: { id: string; todayOrders: number }[];
}

export interface TapFigures {
  tapToToastMs: number[];
  tapToFrameMs: number[];
  requestMs: number[];
  ordersRecorded: number;
}

export interface SalesPage {
  url: string;
  instrument: Instrument;
  platformHost: string;
  session: StoredSession;
  locationId: string;
  cpPort: number;
}

export async function measureSales(
  browser: Browser,
  settings: { sales: number; cpuSlowdown: number },
  { url, instrument, platformHost, session, locationId, cpPort }: SalesPage,
): Promise<TapFigures> {
  const device = await openDevice(browser, settings.cpuSlowdown, TABLET, instrument);
  const orders = new HttpClient(cpPort, { headers: { host: platformHost, authorization: `Bearer ${session.accessToken}` } });
  const todayOrders = async () =>
    todayOrdersAt(must(await orders.gql<TodayOrders>(TODAY_ORDERS, {}), 'reading today’s orders'), locationId);
  try {
    const before = await todayOrders();
    await measureLoad(device.page, device.meter, url);
    const dish = device.page.getByTestId('menu-item').filter({ hasText: SOLD_DISH });
    const record = device.page.getByTestId('record-sale');
    const samples = { tapToToastMs: [] as number[], tapToFrameMs: [] as number[], requestMs: [] as number[] };
    device.page.on('requestfinished', (request) => {
      if (!request.url().endsWith('/graphql') || !request.postData()?.includes('mutation RecordSale')) return;
      const timing = request.timing();
      if (timing.requestStart >= 0 && timing.responseEnd >= 0) samples.requestMs.push(timing.responseEnd - timing.requestStart);
    });
    for (let i = 0; i < settings.sales; i++) {
      await dish.tap();
      await device.page.getByTestId('cart-line').first().waitFor();
      await device.page.evaluate(armSavedWatch);
      await record.tap();
      const result = await device.page.evaluate(savedResult);
      samples.tapToToastMs.push(result.tapToToastMs);
      samples.tapToFrameMs.push(result.tapToFrameMs);
      await device.page.getByTestId('cart-line').first().waitFor({ state: 'detached' });
    }
    const after = await todayOrders();
    if (after - before !== settings.sales)
      throw new BenchError(`${settings.sales} taps on "Ghi đơn" made ${after - before} orders at the bench location`);
    return { ...samples, ordersRecorded: after - before };
  } finally {
    orders.close();
    await device.context.close();
  }
}

function todayOrdersAt(data: TodayOrders, locationId: string): number {
  const location = data.locations.find((l) => l.id === locationId);
  if (!location) throw new BenchError(`the bench location ${locationId} is not among the tenant's locations`);
  return location.todayOrders;
}
