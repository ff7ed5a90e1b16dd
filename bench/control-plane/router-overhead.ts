// What the router adds to a request: the same GraphQL request with the same token, alternately
// through the control plane's router (`Host: <slug>.localhost`) and straight to the cell
// (`X-Tenant`), each over its own keep-alive connection. Which goes first alternates too, so
// neither always follows the other.
import type { Cleanup } from '../lib/cleanup';
import { HttpClient } from '../lib/http-client';
import { nowMs, summarize, type Summary, warmUp } from '../lib/measure';
import { BenchError, log } from '../lib/output';

export interface RouterFigures {
  host: string;
  routed: Summary;
  direct: Summary;
  addedP50Ms: number;
  addedP99Ms: number;
  /** router − cell of the two requests of each round: the overhead request by request. */
  pairedDifference: Summary;
  errors: number;
  firstErrors: string[];
}

export interface RouterTarget {
  cpPort: number;
  cellPort: number;
  owner: { slug: string; token: string };
  query: string;
  variables: Record<string, unknown>;
}

type Way = 'routed' | 'direct';

export async function measureRouterOverhead(
  settings: { warmup: number; samples: number; seriesMaxSeconds: number },
  { cpPort, cellPort, owner, query, variables }: RouterTarget,
  cleanup: Cleanup,
): Promise<RouterFigures> {
  const authorization = `Bearer ${owner.token}`;
  const direct = new HttpClient(cellPort, { headers: { authorization, 'x-tenant': owner.slug } });
  const routed = new HttpClient(cpPort, { headers: { authorization, host: `${owner.slug}.localhost:${cpPort}` } });
  cleanup.push(() => direct.close());
  cleanup.push(() => routed.close());
  const send = (client: HttpClient) => client.gql(query, variables, { uncached: true });

  // Both ways must give the same answer, or the comparison means nothing.
  const [viaRouter, straight] = [await send(routed), await send(direct)];
  if (viaRouter.error || straight.error)
    throw new BenchError(`the router check failed: router ${viaRouter.error ?? 'ok'}, cell ${straight.error ?? 'ok'}`);
  if (JSON.stringify(viaRouter.data) !== JSON.stringify(straight.data))
    throw new BenchError('the router and the cell gave different answers to the same request');

  log(`router overhead: warming up (${settings.warmup} of each), then ${settings.samples} requests each way, interleaved…`);
  await warmUp(settings.warmup, 30, async () => {
    await send(routed);
    await send(direct);
  });
  const samples = { routed: [] as number[], direct: [] as number[], difference: [] as number[] };
  const errors: string[] = [];
  const deadline = nowMs() + settings.seriesMaxSeconds * 2 * 1000;
  for (let i = 0; i < settings.samples && nowMs() < deadline; i++) {
    const order: Way[] = i % 2 === 0 ? ['routed', 'direct'] : ['direct', 'routed'];
    const taken: Partial<Record<Way, number>> = {};
    for (const way of order) {
      const result = await send(way === 'routed' ? routed : direct);
      if (result.error) errors.push(`${way}: ${result.error}`);
      else taken[way] = result.ms;
    }
    if (taken.routed !== undefined) samples.routed.push(taken.routed);
    if (taken.direct !== undefined) samples.direct.push(taken.direct);
    if (taken.routed !== undefined && taken.direct !== undefined) samples.difference.push(taken.routed - taken.direct);
  }
  const viaRouterSeries = summarize(samples.routed);
  const straightSeries = summarize(samples.direct);
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return {
    host: `${owner.slug}.localhost`,
    routed: viaRouterSeries,
    direct: straightSeries,
    addedP50Ms: round(viaRouterSeries.p50 - straightSeries.p50),
    addedP99Ms: round(viaRouterSeries.p99 - straightSeries.p99),
    pairedDifference: summarize(samples.difference),
    errors: errors.length,
    firstErrors: [...new Set(errors)].slice(0, 3),
  };
}
