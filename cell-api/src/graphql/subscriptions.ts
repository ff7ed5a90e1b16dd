import type { IncomingMessage } from 'node:http';
import { type DocumentNode, type ExecutionArgs, type GraphQLError, type GraphQLSchema, specifiedRules, validate } from 'graphql';
import type { Logger } from 'pino';
import { formatCellError, internalError, isClientFacing } from './format-error';
import { depthLimitRule } from './query-limits';
import type { RequestContextFactory } from './request-context.factory';
import type { CellRequestContext } from './request-context';

interface WsContext {
  connectionParams?: Readonly<Record<string, unknown>>;
  extra: { request: IncomingMessage };
}

/**
 * GraphQL subscriptions over WebSocket (`graphql-ws` protocol, on `/graphql`), authorised
 * like queries: each operation gets a request context from the upgrade's Host or X-Tenant
 * and the token in `connection_init`, the tenant guard and the resolver's location check
 * run at subscribe time, and errors are shaped by the same formatter as over HTTP. The
 * operation's tenant transaction is used only while subscribing, and always ended.
 */
export function graphqlWsOptions(contexts: RequestContextFactory, maxDepth: number, logger: Logger) {
  const open = new Map<string, CellRequestContext>();
  const keyOf = (ctx: WsContext, id: string) =>
    `${ctx.extra.request.socket.remotePort ?? 0}:${ctx.extra.request.headers['sec-websocket-key'] ?? ''}:${id}`;
  const end = (key: string) => {
    const context = open.get(key);
    if (!context) return;
    open.delete(key);
    void context.db?.finish(true).catch((error: unknown) => logger.error({ err: error }, 'ending a subscription transaction failed'));
  };
  const rules = [...specifiedRules, depthLimitRule(maxDepth)];
  return {
    path: '/graphql',
    validate: ((schema: GraphQLSchema, document: DocumentNode) => validate(schema, document, rules)) as typeof validate,
    context: async (ctx: WsContext, id: string): Promise<CellRequestContext> => {
      const contextValue = await contexts.createForSubscription(
        ctx.extra.request,
        ctx.connectionParams as Record<string, unknown> | undefined,
      );
      open.set(keyOf(ctx, id), contextValue);
      return contextValue;
    },
    onNext: (
      ctx: WsContext,
      id: string,
      _payload: unknown,
      _args: ExecutionArgs,
      result: { data?: unknown; errors?: readonly GraphQLError[] },
    ) => {
      // Subscribing is over once the first result is out: events need no transaction.
      end(keyOf(ctx, id));
      if (!result.errors?.length) return undefined;
      return {
        ...(result.data !== undefined ? { data: result.data as Record<string, unknown> | null } : {}),
        errors: result.errors.map((error) => {
          if (!isClientFacing(error) && !isClientFacing(error.originalError))
            logger.error({ err: error.originalError ?? error }, 'unexpected error in a subscription');
          return formatCellError(error.toJSON(), error);
        }),
      };
    },
    // Errors before execution: the document did not parse or validate (its shape, safe to
    // show as GraphQL wrote it); anything with an original error behind it is masked.
    onError: (ctx: WsContext, id: string, _payload: unknown, errors: readonly GraphQLError[]) => {
      end(keyOf(ctx, id));
      return errors.map((error) =>
        error.originalError
          ? internalError('vi')
          : {
              message: error.message,
              ...(error.locations ? { locations: error.locations } : {}),
              extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
            },
      );
    },
    onComplete: (ctx: WsContext, id: string) => end(keyOf(ctx, id)),
  };
}
