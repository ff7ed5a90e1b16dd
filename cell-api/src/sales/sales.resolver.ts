import { Args, ArgsType, Context, Field, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { IsOptional, MaxLength } from 'class-validator';
import type { AuthorizedContext } from '../graphql/request-context';
import { DateScalar } from '../graphql/scalars';
import { IntRange, Uuid } from '../graphql/validators';
import { Location } from '../locations/location.types';
import { LocationsService } from '../locations/locations.service';
import { Order, OrderConnection, OrderItem, RecordSaleInput, VoidOrderArgs } from './sale.types';
import { SalesService } from './sales.service';

@ArgsType()
export class OrdersArgs {
  @Field(() => ID)
  @Uuid()
  locationId!: string;

  @Field(() => DateScalar, { nullable: true, description: 'First local business date, inclusive.' })
  @IsOptional()
  from?: string;

  @Field(() => DateScalar, { nullable: true, description: 'Last local business date, inclusive.' })
  @IsOptional()
  to?: string;

  @Field(() => Int, { defaultValue: 50 })
  @IntRange(1, 200)
  first: number = 50;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(200, { context: { max: 200 } })
  after?: string;
}

@Resolver(() => Order)
export class SalesResolver {
  constructor(
    private readonly sales: SalesService,
    private readonly locations: LocationsService,
  ) {}

  @Query(() => OrderConnection, { description: "A location's orders, newest first, with cursor pagination." })
  orders(@Args() args: OrdersArgs, @Context() ctx: AuthorizedContext): Promise<OrderConnection> {
    return this.sales.orders(ctx, args);
  }

  @Mutation(() => Order, { description: 'Records a sale; retrying with the same id returns the first result.' })
  recordSale(@Args('input') input: RecordSaleInput, @Context() ctx: AuthorizedContext): Promise<Order> {
    return this.sales.recordSale(ctx, input);
  }

  @Mutation(() => Order, { description: 'Voids an order and takes it out of the figures (managers and owners).' })
  voidOrder(@Args() args: VoidOrderArgs, @Context() ctx: AuthorizedContext): Promise<Order> {
    return this.sales.voidOrder(ctx, args.id, args.reason);
  }

  @ResolveField(() => [OrderItem])
  items(@Parent() order: Order, @Context() ctx: AuthorizedContext): Promise<OrderItem[]> {
    return this.sales.itemsOf(ctx, order.id);
  }

  @ResolveField(() => Location, { nullable: true })
  location(@Parent() order: Order, @Context() ctx: AuthorizedContext): Promise<Location | null> {
    return this.locations.loader(ctx).load(order.locationId);
  }
}
