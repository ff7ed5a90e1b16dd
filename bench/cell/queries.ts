// The GraphQL the cell's figures are taken with: the owner app's two dashboards and the
// counter's sale, as the screens send them.

export const LOCATION_DASHBOARD = `query LocationDashboard($id: ID!) {
  location(id: $id) { id name todayRevenue todayOrders averageTicket hourlyTrends { hour revenue orders }
    topItems(limit: 5) { itemId name quantity revenue } paymentMix { method amount }
    comparison { sameWeekdayLastWeekRevenue } }
}`;
export const CHAIN_DASHBOARD = `query ChainDashboard($range: DateRangeInput!) {
  dashboard(range: $range) {
    totals { revenue orders averageTicket } previousPeriod { revenue }
    locations { locationId name totals { revenue orders } } daily { date revenue orders }
    paymentMix { method amount } topItems(limit: 10) { itemId name quantity revenue }
  }
}`;
export const RECORD_SALE = `mutation RecordSale($input: RecordSaleInput!) { recordSale(input: $input) { id total } }`;
export const LOCATIONS = `query BenchLocations { locations { id name } }`;
export const TODAY_ORDERS = `query BenchTodayOrders { locations { id todayOrders } }`;

/** The fields of the answers the bench reads. */
export interface LocationDashboardData {
  location: { todayRevenue: number };
}
export interface ChainDashboardData {
  dashboard: { totals: { revenue: number }; locations: unknown[] };
}
export interface TodayOrdersData {
  locations: { id: string; todayOrders: number }[];
}
