import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { IsBoolean, IsOptional, ValidateNested } from 'class-validator';
import { Type } from 'class-transformer';
import { MoneyScalar } from '../graphql/scalars';
import { DongAmount, IntRange, ListSize, Text, Uuid } from '../graphql/validators';

@ObjectType()
export class Modifier {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field(() => MoneyScalar, { description: 'Added to the item price, in đồng.' })
  priceDelta!: number;
}

@ObjectType()
export class MenuItem {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  categoryId!: string;

  @Field()
  name!: string;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => MoneyScalar, { description: 'Price in đồng.' })
  price!: number;

  @Field({ description: 'False once archived: kept for past receipts, no longer sold.' })
  active!: boolean;

  @Field(() => Int)
  sortOrder!: number;
}

@ObjectType()
export class MenuCategory {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field(() => Int)
  sortOrder!: number;
}

@InputType()
export class UpsertMenuCategoryInput {
  @Field(() => ID, { nullable: true, description: 'Omit to create; give an id to update.' })
  @IsOptional()
  @Uuid()
  id?: string;

  @Field()
  @Text(100)
  name!: string;

  @Field(() => Int, { defaultValue: 0 })
  @IntRange(-100_000, 100_000)
  sortOrder: number = 0;
}

@InputType()
export class ModifierInput {
  @Field()
  @Text(100)
  name!: string;

  @Field(() => MoneyScalar, { defaultValue: 0 })
  @DongAmount()
  priceDelta: number = 0;
}

@InputType()
export class UpsertMenuItemInput {
  @Field(() => ID, { nullable: true, description: 'Omit to create; give an id to update.' })
  @IsOptional()
  @Uuid()
  id?: string;

  @Field(() => ID)
  @Uuid()
  categoryId!: string;

  @Field()
  @Text(120)
  name!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Text(1000, 0)
  description?: string | null;

  @Field(() => MoneyScalar)
  @DongAmount()
  price!: number;

  @Field({ defaultValue: true })
  @IsBoolean()
  active: boolean = true;

  @Field(() => Int, { defaultValue: 0 })
  @IntRange(-100_000, 100_000)
  sortOrder: number = 0;

  @Field(() => [ModifierInput], { nullable: true, description: "When given, replaces the item's modifiers." })
  @IsOptional()
  @ListSize(0, 50)
  @ValidateNested({ each: true })
  @Type(() => ModifierInput)
  modifiers?: ModifierInput[];
}
