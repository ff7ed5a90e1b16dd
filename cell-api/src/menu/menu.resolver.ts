import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { IsOptional, MaxLength } from 'class-validator';
import { ArgsType, Field } from '@nestjs/graphql';
import type { AuthorizedContext } from '../graphql/request-context';
import { UuidArg } from '../graphql/uuid-arg';
import { MenuService } from './menu.service';
import { MenuCategory, MenuItem, Modifier, UpsertMenuCategoryInput, UpsertMenuItemInput } from './menu.types';

@ArgsType()
export class MenuArgs {
  @Field(() => String, { nullable: true, description: 'Matches names with or without diacritics: "pho" finds "Phở".' })
  @IsOptional()
  @MaxLength(100, { context: { max: 100 } })
  search?: string;

  @Field({ defaultValue: false })
  includeArchived: boolean = false;
}

@Resolver(() => MenuItem)
export class MenuItemResolver {
  constructor(private readonly service: MenuService) {}

  @Query(() => [MenuItem], { description: 'Menu items in menu order, optionally filtered by a search text.' })
  menu(@Args() args: MenuArgs, @Context() ctx: AuthorizedContext): Promise<MenuItem[]> {
    return this.service.search(ctx.db, args.search, args.includeArchived);
  }

  @ResolveField(() => MenuCategory, { nullable: true })
  category(@Parent() item: MenuItem, @Context() ctx: AuthorizedContext): Promise<MenuCategory | null> {
    return this.service.categoryOf(ctx, item.categoryId);
  }

  @ResolveField(() => [Modifier])
  modifiers(@Parent() item: MenuItem, @Context() ctx: AuthorizedContext): Promise<Modifier[]> {
    return this.service.modifiersOf(ctx, item.id);
  }

  @Mutation(() => MenuItem)
  upsertMenuItem(@Args('input') input: UpsertMenuItemInput, @Context() ctx: AuthorizedContext): Promise<MenuItem> {
    return this.service.upsertItem(ctx.db, ctx.principal, input);
  }

  @Mutation(() => MenuItem, { description: 'Stops selling an item; past orders keep it.' })
  archiveMenuItem(@Args('id', { type: () => ID }, UuidArg) id: string, @Context() ctx: AuthorizedContext): Promise<MenuItem> {
    return this.service.archiveItem(ctx.db, ctx.principal, id);
  }
}

@Resolver(() => MenuCategory)
export class MenuCategoryResolver {
  constructor(private readonly service: MenuService) {}

  @Query(() => [MenuCategory])
  menuCategories(@Context() ctx: AuthorizedContext): Promise<MenuCategory[]> {
    return this.service.categories(ctx.db);
  }

  @ResolveField(() => [MenuItem], { description: 'Active items of the category.' })
  items(@Parent() category: MenuCategory, @Context() ctx: AuthorizedContext): Promise<MenuItem[]> {
    return this.service.itemsOfCategory(ctx, category.id);
  }

  @Mutation(() => MenuCategory)
  upsertMenuCategory(@Args('input') input: UpsertMenuCategoryInput, @Context() ctx: AuthorizedContext): Promise<MenuCategory> {
    return this.service.upsertCategory(ctx.db, ctx.principal, input);
  }
}
