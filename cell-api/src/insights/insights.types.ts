import { ArgsType, Field, Float, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { IsOptional, ValidateNested } from 'class-validator';
import { Type } from 'class-transformer';
import { DateScalar, MoneyScalar } from '../graphql/scalars';
import { DongAmount, IntRange, ListSize, OneOf, Text, Uuid } from '../graphql/validators';
import { MAX_FORECAST_DAYS } from '../integrations/model-operations';

@ObjectType({ description: 'Expected sales of one item on one day, with the 80 % interval.' })
export class ForecastDay {
  @Field(() => DateScalar)
  date!: string;

  @Field(() => ID)
  itemId!: string;

  @Field(() => Float, { description: 'Expected quantity.' })
  expected!: number;

  @Field(() => Float, { description: 'Lower end of the 80 % interval.' })
  low!: number;

  @Field(() => Float, { description: 'Upper end of the 80 % interval.' })
  high!: number;

  @Field({
    description:
      'prophet, prophet_category (the item borrows its category’s curve), seasonal_naive (same weekday last week: little history) or recent_mean (under a week of sales).',
  })
  method!: string;

  @Field(() => String, {
    nullable: true,
    description: 'The holiday the day falls on: tet, pre_tet, hung_kings, reunification, labour, national, full_moon, new_moon.',
  })
  holiday!: string | null;

  @Field({ description: 'When the models made this forecast.' })
  generatedAt!: Date;
}

@ObjectType({ description: 'Advice from the models for a location, for the owner to approve or dismiss.' })
export class Recommendation {
  @Field(() => ID)
  id!: string;

  @Field({ description: 'prep, promotion, combo (or pricing, staffing, menu).' })
  kind!: string;

  @Field()
  title!: string;

  @Field(() => Int, { description: '1 (act today) to 3.' })
  priority!: number;

  @Field()
  explanation!: string;

  @Field({ description: 'pending, approved or dismissed.' })
  status!: string;

  @Field({ description: 'The items and figures behind the advice, as JSON text.' })
  details!: string;

  @Field(() => DateScalar, { nullable: true })
  forDate!: string | null;

  @Field()
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  decidedAt!: Date | null;

  @Field(() => String, { nullable: true })
  dismissReason!: string | null;
}

@ObjectType({ description: 'Something unusual at a location: an odd hour, a payment that does not match.' })
export class Anomaly {
  @Field(() => ID)
  id!: string;

  @Field({ description: 'hourly_pattern (the anomaly model), payment_discrepancy, …' })
  kind!: string;

  @Field({ description: 'info, warning or critical.' })
  severity!: string;

  @Field(() => DateScalar)
  businessDate!: string;

  @Field(() => Int, { nullable: true, description: 'The local hour, for an odd hour.' })
  hour!: number | null;

  @Field(() => String, { nullable: true, description: 'In Vietnamese, when the model explained it.' })
  reason!: string | null;

  @Field({ description: 'Everything recorded with it, as JSON text.' })
  details!: string;

  @Field()
  detectedAt!: Date;
}

@ObjectType()
export class PriceSuggestion {
  @Field(() => ID)
  itemId!: string;

  @Field(() => MoneyScalar)
  currentPrice!: number;

  @Field(() => MoneyScalar, { description: 'Equal to the current price: keep it.' })
  suggestedPrice!: number;

  @Field(() => Float, {
    nullable: true,
    description: 'Price elasticity measured from the location’s own price changes; null where there were none.',
  })
  elasticity!: number | null;

  @Field({ description: 'elasticity or rules.' })
  method!: string;

  @Field()
  explanation!: string;
}

@ObjectType()
export class InsightsRefresh {
  @Field(() => Int, { description: 'Item-days forecast.' })
  forecastRows!: number;

  @Field(() => [Recommendation], { description: 'Advice not given before.' })
  newRecommendations!: Recommendation[];
}

@ArgsType()
export class ForecastArgs {
  @Field(() => Int, { defaultValue: 7, description: `Days from today, 1 to ${MAX_FORECAST_DAYS}.` })
  @IntRange(1, MAX_FORECAST_DAYS)
  days: number = 7;

  @Field(() => ID, { nullable: true, description: 'One item; all items when left out.' })
  @IsOptional()
  @Uuid()
  itemId?: string;
}

export const RECOMMENDATION_STATUSES = ['pending', 'approved', 'dismissed'] as const;

@ArgsType()
export class RecommendationsArgs {
  @Field(() => String, { nullable: true, description: 'pending, approved or dismissed; all when left out.' })
  @IsOptional()
  @OneOf(RECOMMENDATION_STATUSES)
  status?: string;
}

@ArgsType()
export class AnomaliesArgs {
  @Field(() => DateScalar, { description: 'First local business date, inclusive.' })
  from!: string;

  @Field(() => DateScalar, { description: 'Last local business date, inclusive (at most 92 days after from).' })
  to!: string;
}

@ArgsType()
export class DismissArgs {
  @Field(() => ID)
  @Uuid()
  id!: string;

  @Field(() => String, { nullable: true, description: 'Why, in the owner’s words; it helps the next advice.' })
  @IsOptional()
  @Text(500, 0)
  reason?: string;
}

@InputType()
export class CompetitorPriceInput {
  @Field(() => ID)
  @Uuid()
  itemId!: string;

  @Field(() => MoneyScalar)
  @DongAmount()
  price!: number;
}

@ArgsType()
export class PricingArgs {
  @Field(() => ID)
  @Uuid()
  locationId!: string;

  @Field(() => [CompetitorPriceInput], { nullable: true, description: 'What competitors nearby charge for the same items.' })
  @IsOptional()
  @ListSize(0, 1_000)
  @ValidateNested({ each: true })
  @Type(() => CompetitorPriceInput)
  competitorPrices?: CompetitorPriceInput[];
}
