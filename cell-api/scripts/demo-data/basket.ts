import type { SaleItemInput } from '../../src/sales/sale.types';
import type { BasketShape, SaleChannel } from './demand-profiles';
import type { DemoMenu, DemoMenuItem } from './demo-menu';
import type { MenuRole } from './menus';
import { type Random, WeightedChoice } from './random';

/** Lines of one order in the shape the app's `recordSale` takes: item, quantity, modifier ids. */
export type BasketLine = Pick<SaleItemInput, 'itemId' | 'quantity' | 'modifiers'>;

/** The schema allows more, but a real ticket at these shops has one to four lines. */
const MAX_LINES = 4;
/** A customer rarely asks for more than two changes to one dish. */
const MAX_MODIFIERS_PER_LINE = 2;
/** Chance that each extra person in a party picks a dish nobody else at the table ordered. */
const DIFFERENT_DISH_CHANCE = 0.55;

type Daypart = 0 | 1 | 2;

function daypartOf(hour: number): Daypart {
  if (hour < 11) return 0;
  return hour < 17 ? 1 : 2;
}

/**
 * Fills orders: a party of one to four (more for an office's bánh mì), a main each with a
 * few shared between them, sometimes drinks and a side, now and then a modifier. Items
 * are drawn by their popularity at that time of day (no beer at breakfast).
 */
export class BasketBuilder {
  /** Choices by role, then by daypart; null where the menu has no item of that role. */
  private readonly choices: Record<MenuRole, (WeightedChoice<DemoMenuItem> | null)[]>;
  private readonly partySizes: Record<SaleChannel, WeightedChoice<number>>;

  constructor(
    menu: DemoMenu,
    private readonly shape: BasketShape,
  ) {
    const choicesOf = (role: MenuRole) =>
      ([0, 1, 2] as const).map((daypart) => {
        const entries = menu.items.filter((item) => item.role === role && item.popularity[daypart] > 0);
        return entries.length > 0 ? new WeightedChoice(entries.map((item) => [item, item.popularity[daypart]] as const)) : null;
      });
    this.choices = { main: choicesOf('main'), side: choicesOf('side'), drink: choicesOf('drink') };
    const sizesOf = (weights: readonly number[]) => new WeightedChoice(weights.map((weight, index) => [index + 1, weight] as const));
    this.partySizes = {
      dine_in: sizesOf(shape.partySize.dine_in),
      takeaway: sizesOf(shape.partySize.takeaway),
      delivery: sizesOf(shape.partySize.delivery),
    };
  }

  linesFor(random: Random, channel: SaleChannel, hour: number): BasketLine[] {
    const daypart = daypartOf(hour);
    const mains = this.choices.main[daypart];
    if (!mains) throw new Error(`the menu has no main dish at ${hour}h`);
    if (channel === 'takeaway' && random.chance(this.shape.bulkTakeawayChance)) {
      const item = mains.pick(random);
      return [{ itemId: item.id, quantity: random.int(5, 10), modifiers: this.modifiersFor(random, item) }];
    }

    const party = this.partySizes[channel].pick(random);
    const lines: BasketLine[] = [];
    let distinctMains = 1;
    for (let person = 2; person <= party; person++) {
      if (distinctMains < this.shape.maxMainLines && random.chance(DIFFERENT_DISH_CHANCE)) distinctMains++;
    }
    for (let n = 0; n < distinctMains; n++) {
      const item = mains.pick(random);
      const same = lines.find((line) => line.itemId === item.id);
      if (same) same.quantity++;
      else lines.push({ itemId: item.id, quantity: 1, modifiers: this.modifiersFor(random, item) });
    }
    // Everyone beyond the first of each dish joins one of the dishes already chosen.
    for (let extra = party - distinctMains; extra > 0; extra--) random.pick(lines).quantity++;

    const drinks = this.choices.drink[daypart];
    if (drinks && lines.length < MAX_LINES && random.chance(this.shape.drinkChance)) {
      const item = drinks.pick(random);
      lines.push({ itemId: item.id, quantity: random.int(1, party), modifiers: this.modifiersFor(random, item) });
    }
    const sides = this.choices.side[daypart];
    if (sides && lines.length < MAX_LINES && random.chance(this.shape.sideChance)) {
      const item = sides.pick(random);
      if (!lines.some((line) => line.itemId === item.id)) {
        lines.push({ itemId: item.id, quantity: party >= 3 && random.chance(0.3) ? 2 : 1, modifiers: [] });
      }
    }
    return lines;
  }

  private modifiersFor(random: Random, item: DemoMenuItem): string[] {
    const chosen: string[] = [];
    for (const modifier of item.modifiers) {
      if (chosen.length < MAX_MODIFIERS_PER_LINE && random.chance(modifier.chance)) chosen.push(modifier.id);
    }
    return chosen;
  }
}
