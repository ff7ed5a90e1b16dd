import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { localDateHour, daysBetween } from '@localstore/common';
import type { Principal } from '../auth/principal';
import type { TenantDb } from '@localstore/cell-db';
import { type CellRequestContext, loaderOf } from '../graphql/request-context';
import { LocationErrorCode, LocationException } from '../locations/location.exception';
import { LocationsService } from '../locations/locations.service';
import { DashboardCache } from '../dashboard/dashboard-cache';
import { UnitOfWork } from '../events/unit-of-work';
import { CellMetrics } from '../observability/cell-metrics';
import { priceSale } from './sale-pricing';
import { SaleErrorCode, SaleException } from './sale.exception';
import { type Order, type OrderConnection, type OrderItem, PaymentMethod, type RecordSaleInput } from './sale.types';
import { SalesRepository } from './sales.repository';

type AuthorizedDbContext = CellRequestContext & { db: TenantDb; principal: Principal };

/** How far back an offline sale may be dated, and how far ahead a tablet clock may drift. */
const MAX_BACKDATE_MS = 7 * 86_400_000;
const MAX_CLOCK_SKEW_MS = 5 * 60_000;
const MAX_ORDERS_RANGE_DAYS = 366;
/** Paid at the counter: the sale itself is the payment. Wallets are paid when their webhook lands. */
const PAID_ON_SALE = new Set<string>([PaymentMethod.CASH, PaymentMethod.CARD]);

export interface OrdersQuery {
  locationId: string;
  from?: string;
  to?: string;
  first: number;
  after?: string;
}

@Injectable()
export class SalesService {
  constructor(
    private readonly sales: SalesRepository,
    private readonly locations: LocationsService,
    private readonly metrics: CellMetrics,
    private readonly work: UnitOfWork,
    private readonly dashboards: DashboardCache,
  ) {}

  /**
   * Records a sale: the order, its lines and the rollups in the request's transaction.
   * The client's id makes it idempotent: a retry returns the order first recorded and
   * changes nothing, whatever the retry carried.
   */
  async recordSale(ctx: AuthorizedDbContext, input: RecordSaleInput, now = new Date()): Promise<Order> {
    const { db, principal } = ctx;
    principal.assertLocation(input.locationId, 'input.locationId');
    const sale = await this.sales.saleContext(
      db,
      input.id,
      input.locationId,
      [...new Set(input.items.map((line) => line.itemId))],
      [...new Set(input.items.flatMap((line) => line.modifiers))],
    );
    if (sale.existing) return this.visibleOrder(principal, sale.existing, 'input.id');
    if (!sale.timezone) throw new LocationException(LocationErrorCode.LOCATION_NOT_FOUND, 'input.locationId');

    const createdAt = input.occurredAt ?? now;
    if (
      Number.isNaN(createdAt.getTime()) ||
      createdAt.getTime() > now.getTime() + MAX_CLOCK_SKEW_MS ||
      createdAt.getTime() < now.getTime() - MAX_BACKDATE_MS
    ) {
      throw new SaleException(SaleErrorCode.SALE_TIME_OUT_OF_RANGE, 'input.occurredAt');
    }
    const priced = priceSale(input.items, input.discount, sale.menu);
    const { businessDate, hour } = localDateHour(createdAt, sale.timezone);
    const order = {
      id: input.id,
      locationId: input.locationId,
      channel: input.channel,
      paymentMethod: input.paymentMethod,
      businessDate,
      hour,
      createdAt,
      paidAt: PAID_ON_SALE.has(input.paymentMethod) ? createdAt : null,
      createdBy: principal.userId,
      priced,
    };
    const inserted = await this.sales.insertSale(db, order);
    if (!inserted) {
      // Another request recorded this id between our check and our insert.
      const existing = await this.sales.orderById(db, input.id);
      return this.visibleOrder(principal, existing!, 'input.id');
    }
    this.metrics.salesRecorded.inc();
    // First the cache, then the screens: a screen that refetches on the delta sees the sale.
    this.work.afterCommit(db, () => this.dashboards.changed(db.tenantId, order.locationId));
    this.work.publish(db, 'sale.recorded', {
      orderId: order.id,
      locationId: order.locationId,
      total: priced.total,
      itemCount: priced.itemCount,
      paymentMethod: order.paymentMethod,
      channel: order.channel,
      businessDate,
      hour,
      createdAt: createdAt.toISOString(),
    });
    this.itemsLoader(ctx).prime(
      order.id,
      priced.lines.map((line) => ({ ...line })),
    );
    return {
      id: order.id,
      locationId: order.locationId,
      channel: input.channel,
      status: 'completed' as Order['status'],
      paymentMethod: input.paymentMethod,
      businessDate,
      hour,
      createdAt,
      subtotal: priced.subtotal,
      discount: priced.discount,
      total: priced.total,
      itemCount: priced.itemCount,
      paidAt: order.paidAt,
      voidReason: null,
      voidedAt: null,
    };
  }

  async voidOrder(ctx: AuthorizedDbContext, id: string, reason: string): Promise<Order> {
    const { db, principal } = ctx;
    principal.assertRole('owner', 'manager');
    const existing = await this.sales.orderById(db, id);
    if (!existing) throw new SaleException(SaleErrorCode.ORDER_NOT_FOUND, 'id');
    principal.assertLocation(existing.locationId, 'id');
    if (existing.status !== 'completed') throw new SaleException(SaleErrorCode.ORDER_ALREADY_VOIDED, 'id');
    const voided = await this.sales.voidOrder(db, id, reason.trim(), principal.userId);
    // Null only if a concurrent void got there first.
    if (!voided) throw new SaleException(SaleErrorCode.ORDER_ALREADY_VOIDED, 'id');
    this.work.afterCommit(db, () => this.dashboards.changed(db.tenantId, voided.locationId));
    this.work.publish(db, 'order.voided', {
      orderId: voided.id,
      locationId: voided.locationId,
      total: voided.total,
      itemCount: voided.itemCount,
      paymentMethod: voided.paymentMethod,
      businessDate: voided.businessDate,
      hour: voided.hour,
      voidedAt: (voided.voidedAt ?? new Date()).toISOString(),
    });
    return voided;
  }

  async orders(ctx: AuthorizedDbContext, query: OrdersQuery): Promise<OrderConnection> {
    await this.locations.visibleLocation(ctx, query.locationId);
    if (query.from && query.to && (query.from > query.to || daysBetween(query.from, query.to) > MAX_ORDERS_RANGE_DAYS)) {
      throw new SaleException(SaleErrorCode.INVALID_DATE_RANGE, 'to', { maxDays: MAX_ORDERS_RANGE_DAYS });
    }
    const rows = await this.sales.ordersPage(ctx.db, {
      locationId: query.locationId,
      from: query.from ?? null,
      to: query.to ?? null,
      limit: query.first + 1,
      after: query.after ? decodeCursor(query.after) : null,
    });
    const page = rows.slice(0, query.first);
    const edges = page.map((node) => ({ node, cursor: encodeCursor(node) }));
    return {
      edges,
      pageInfo: { hasNextPage: rows.length > query.first, endCursor: edges.at(-1)?.cursor ?? null },
    };
  }

  itemsOf(ctx: CellRequestContext & { db: TenantDb }, orderId: string): Promise<OrderItem[]> {
    return this.itemsLoader(ctx).load(orderId);
  }

  private itemsLoader(ctx: CellRequestContext & { db: TenantDb }): DataLoader<string, OrderItem[]> {
    return loaderOf(
      ctx,
      'orderItemsByOrder',
      () =>
        new DataLoader<string, OrderItem[]>(async (ids) => {
          const rows = await this.sales.itemsOfOrders(ctx.db, ids);
          const byOrder = new Map<string, OrderItem[]>();
          for (const { orderId, ...item } of rows) {
            const list = byOrder.get(orderId);
            if (list) list.push(item);
            else byOrder.set(orderId, [item]);
          }
          return ids.map((id) => byOrder.get(id) ?? []);
        }),
    );
  }

  /** A replayed id from a location the user may not see must not reveal that order. */
  private visibleOrder(principal: Principal, order: Order, field: string): Order {
    principal.assertLocation(order.locationId, field);
    return order;
  }
}

function encodeCursor(order: Order): string {
  return Buffer.from(`${new Date(order.createdAt).toISOString()}|${order.id}`).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(at ?? '');
  if (!id || !/^[0-9a-f-]{36}$/i.test(id) || Number.isNaN(createdAt.getTime())) {
    throw new SaleException(SaleErrorCode.INVALID_CURSOR, 'after');
  }
  return { createdAt, id };
}
