import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { DateScalar, MoneyScalar } from '../graphql/scalars';
import { PaymentMethod } from '../sales/sale.types';

@ObjectType()
export class HourlyTrend {
  @Field(() => Int, { description: 'Hour of the local business day, 0–23.' })
  hour!: number;

  @Field(() => MoneyScalar)
  revenue!: number;

  @Field(() => Int)
  orders!: number;
}

@ObjectType()
export class TopItem {
  @Field(() => ID)
  itemId!: string;

  @Field()
  name!: string;

  @Field(() => Int)
  quantity!: number;

  @Field(() => MoneyScalar)
  revenue!: number;
}

@ObjectType()
export class PaymentMixEntry {
  @Field(() => PaymentMethod)
  method!: PaymentMethod;

  @Field(() => MoneyScalar)
  amount!: number;

  @Field(() => Int)
  orders!: number;

  @Field(() => MoneyScalar, { description: 'Of `amount`, what has been paid: at the counter, or by the provider for wallets.' })
  paidAmount!: number;
}

@ObjectType({ description: 'Today against the same weekday a week earlier.' })
export class DayComparison {
  @Field(() => MoneyScalar, { description: 'Revenue of the whole same weekday last week.' })
  sameWeekdayLastWeekRevenue!: number;

  @Field(() => Int)
  sameWeekdayLastWeekOrders!: number;

  @Field(() => MoneyScalar, { description: 'Revenue last week up to the current hour: a fair comparison mid-day.' })
  sameTimeLastWeekRevenue!: number;

  @Field(() => Number, { nullable: true, description: 'Change of today so far against the same time last week, in percent.' })
  revenueChangePercent!: number | null;
}

@ObjectType()
export class SalesTotals {
  @Field(() => MoneyScalar)
  revenue!: number;

  @Field(() => Int)
  orders!: number;

  @Field(() => Int)
  items!: number;

  @Field(() => MoneyScalar, { description: 'Revenue per order, rounded to the đồng.' })
  averageTicket!: number;
}

@ObjectType()
export class LocationSales {
  @Field(() => ID)
  locationId!: string;

  @Field()
  name!: string;

  @Field(() => SalesTotals)
  totals!: SalesTotals;
}

@ObjectType()
export class DailySales {
  @Field(() => DateScalar)
  date!: string;

  @Field(() => MoneyScalar)
  revenue!: number;

  @Field(() => Int)
  orders!: number;
}

@ObjectType({ description: 'Figures across locations over a range of business dates.' })
export class Dashboard {
  @Field(() => DateScalar)
  from!: string;

  @Field(() => DateScalar)
  to!: string;

  @Field(() => SalesTotals)
  totals!: SalesTotals;

  @Field(() => SalesTotals, { description: 'The same number of days just before `from`.' })
  previousPeriod!: SalesTotals;

  @Field(() => [LocationSales])
  locations!: LocationSales[];

  @Field(() => [DailySales])
  daily!: DailySales[];

  @Field(() => [PaymentMixEntry])
  paymentMix!: PaymentMixEntry[];

  /** Best sellers of the range, at most 50; the `topItems` field slices them. */
  topItemsRanked!: TopItem[];
}

@InputType()
export class DateRangeInput {
  @Field(() => DateScalar)
  from!: string;

  @Field(() => DateScalar)
  to!: string;
}

/** Today's figures of one location, fetched in one query for all the fields that need them. */
export interface TodaySnapshot {
  locationId: string;
  businessDate: string;
  /** The location itself (its createdAt as JSON text), so one query answers `location(id)` too. */
  location: { id: string; name: string; address: string | null; timezone: string; lunarObservances: boolean; createdAt: string } | null;
  hourly: HourlyTrend[];
  paymentMix: PaymentMixEntry[];
  topItems: TopItem[];
  lastWeek: { revenue: number; orders: number; revenueSoFar: number };
}

export function totalsOf(revenue: number, orders: number, items: number): SalesTotals {
  return { revenue, orders, items, averageTicket: orders > 0 ? Math.round(revenue / orders) : 0 };
}
