import { TestCell } from '../test-cell';

describe('cell API smoke', () => {
  let cell: TestCell;
  beforeAll(async () => {
    cell = await TestCell.start();
  });
  afterAll(async () => {
    await cell?.stop();
  });

  it('records a sale and shows it on the location dashboard', async () => {
    const tenant = await cell.factories.newTenant();
    const locationId = await cell.factories.newLocation(tenant);
    const item = await cell.factories.newMenuItem(tenant);
    const token = await cell.token({ tid: tenant.id });
    const sale = await cell.gql(
      `mutation($input: RecordSaleInput!) { recordSale(input: $input) { id total businessDate items { name quantity lineTotal } } }`,
      { input: { id: crypto.randomUUID(), locationId, items: [{ itemId: item.id, quantity: 2 }] } },
      { token, tenant: tenant.slug },
    );
    console.log(JSON.stringify(sale));
    const dash = await cell.gql(
      `query($id: ID!) { location(id: $id) { id name todayRevenue todayOrders averageTicket hourlyTrends { hour revenue orders } topItems(limit: 3) { itemId name quantity revenue } paymentMix { method amount } comparison { sameWeekdayLastWeekRevenue } } }`,
      { id: locationId },
      { token, tenant: tenant.slug },
    );
    console.log(JSON.stringify(dash));
    expect(dash.data?.location.todayRevenue).toBe(110_000);
  });
});
