import { graphqlErrorOf, problemOf, problemTypeOf } from './exception-wire';
import { type ExceptionStatus, LocalStoreException, messageParamsOf } from './localstore.exception';

enum OrderErrorCode {
  ITEM_NOT_IN_MENU = 'ITEM_NOT_IN_MENU',
  ORDER_NOT_FOUND = 'ORDER_NOT_FOUND',
  TOO_MANY_REQUESTS = 'TOO_MANY_REQUESTS',
}

const STATUS: Record<OrderErrorCode, ExceptionStatus> = { ITEM_NOT_IN_MENU: 400, ORDER_NOT_FOUND: 404, TOO_MANY_REQUESTS: 429 };

/** A feature's exception as every feature writes one: a string enum and the status of each. */
class OrderException extends LocalStoreException<OrderErrorCode> {
  get status(): ExceptionStatus {
    return STATUS[this.code];
  }
}

describe('an exception on each wire', () => {
  it('carries its code, field, params, status and message key, and names itself in logs', () => {
    const sut = new OrderException(OrderErrorCode.ITEM_NOT_IN_MENU, 'input.items[0].itemId', { item: 'Phở bò' });
    expect(sut).toBeInstanceOf(LocalStoreException);
    expect(sut).toMatchObject({
      code: 'ITEM_NOT_IN_MENU',
      field: 'input.items[0].itemId',
      params: { item: 'Phở bò' },
      status: 400,
      messageKey: 'ITEM_NOT_IN_MENU',
      name: 'OrderException',
    });
    expect(sut.message).toBe('ITEM_NOT_IN_MENU (input.items[0].itemId)');
    const cause = new Error('connection reset');
    expect(new OrderException(OrderErrorCode.ORDER_NOT_FOUND, undefined, {}, { cause }).cause).toBe(cause);
  });

  it('fills its message with its params, its field and how long to wait', () => {
    expect(messageParamsOf(new OrderException(OrderErrorCode.ITEM_NOT_IN_MENU, 'input.items', { max: 3 }))).toEqual({
      max: 3,
      field: 'input.items',
    });
    expect(messageParamsOf(new OrderException(OrderErrorCode.TOO_MANY_REQUESTS, undefined, {}, { retryAfterSeconds: 60 }))).toEqual({
      retryAfter: 60,
    });
  });

  it('is a GraphQL error whose code follows from its status and whose reason is its code', () => {
    const refused = graphqlErrorOf(
      new OrderException(OrderErrorCode.ITEM_NOT_IN_MENU, 'input.items[0].itemId', { item: 'Phở bò' }),
      'Món này không có trong thực đơn.',
      ['recordSale'],
    );
    expect(refused).toEqual({
      message: 'Món này không có trong thực đơn.',
      path: ['recordSale'],
      extensions: { code: 'BAD_USER_INPUT', reason: 'ITEM_NOT_IN_MENU', field: 'input.items[0].itemId', params: { item: 'Phở bò' } },
    });
    expect(graphqlErrorOf(new OrderException(OrderErrorCode.ORDER_NOT_FOUND), 'Không tìm thấy đơn hàng.')).toEqual({
      message: 'Không tìm thấy đơn hàng.',
      extensions: { code: 'NOT_FOUND', reason: 'ORDER_NOT_FOUND' },
    });
    expect(
      graphqlErrorOf(new OrderException(OrderErrorCode.TOO_MANY_REQUESTS, undefined, {}, { retryAfterSeconds: 5 }), '…').extensions,
    ).toEqual({ code: 'TOO_MANY_REQUESTS', reason: 'TOO_MANY_REQUESTS', retryAfterSeconds: 5 });
  });

  it('is application/problem+json with its status, code and field, and Retry-After when it may be retried', () => {
    expect(
      problemOf(
        new OrderException(OrderErrorCode.ITEM_NOT_IN_MENU, 'input.items[0].itemId', { item: 'secret' }),
        'Món này không có trong thực đơn.',
      ),
    ).toEqual({
      status: 400,
      headers: {},
      body: {
        type: 'https://localstore.vn/problems/item-not-in-menu',
        title: 'Món này không có trong thực đơn.',
        status: 400,
        code: 'ITEM_NOT_IN_MENU',
        field: 'input.items[0].itemId',
      },
    });
    const limited = problemOf(
      new OrderException(OrderErrorCode.TOO_MANY_REQUESTS, undefined, {}, { retryAfterSeconds: 42 }),
      'Thử lại sau 42 giây.',
    );
    expect(limited.status).toBe(429);
    expect(limited.headers).toEqual({ 'retry-after': '42' });
    expect(limited.body).not.toHaveProperty('field');
  });

  it('keeps params, stack and class name out of the problem body', () => {
    const { body } = problemOf(
      new OrderException(OrderErrorCode.ORDER_NOT_FOUND, undefined, { sql: 'SELECT * FROM orders' }),
      'Không tìm thấy đơn hàng.',
    );
    expect(Object.keys(body).sort()).toEqual(['code', 'status', 'title', 'type']);
    expect(JSON.stringify(body)).not.toMatch(/SELECT|OrderException|at /);
  });

  it("gives every code one type URI, as the router's own answers use", () => {
    expect(problemTypeOf('TENANT_NOT_FOUND')).toBe('https://localstore.vn/problems/tenant-not-found');
  });
});
