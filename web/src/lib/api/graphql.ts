import { currentLanguage } from '../i18n/i18n';
import { currentPlace, tenantOrigin } from '../place';
import { accessToken } from '../session';

/** A GraphQL error as the servers shape it: a code, often a reason and the field at fault. */
export class GraphQLProblem extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly field?: string,
    readonly reason?: string,
  ) {
    super(message);
  }
}

/** The request never got an answer: offline, or the server is unreachable. */
export class NetworkProblem extends Error {}

interface GraphQLAnswer<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string; field?: string; reason?: string } }[];
}

async function post<T>(url: string, query: string, variables: Record<string, unknown>): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-language': currentLanguage(), authorization: `Bearer ${await accessToken()}` },
      body: JSON.stringify({ query, variables }),
    });
  } catch (error) {
    throw new NetworkProblem(error instanceof Error ? error.message : String(error));
  }
  if (response.status >= 502) throw new NetworkProblem(`HTTP ${response.status}`);
  const answer = (await response.json().catch(() => ({}))) as GraphQLAnswer<T>;
  const first = answer.errors?.[0];
  if (first) throw new GraphQLProblem(first.message, first.extensions?.code ?? 'ERROR', first.extensions?.field, first.extensions?.reason);
  if (!answer.data) throw new GraphQLProblem(`HTTP ${response.status}`, 'ERROR');
  return answer.data;
}

/**
 * The business's cell. On `<slug>.<domain>` it is this origin; the owner's app on
 * `app.<domain>` reads the cell of the business it has chosen, cross-origin (the router
 * answers that origin's CORS requests).
 */
export function cellQuery<T>(slug: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const place = currentPlace();
  const url = place.kind === 'tenant' && place.slug === slug ? '/graphql' : `${tenantOrigin(slug)}/graphql`;
  return post<T>(url, query, variables);
}

/** The control plane's own API (directory, team, billing), on `app.<domain>`. */
export function platformQuery<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  return post<T>('/graphql', query, variables);
}
