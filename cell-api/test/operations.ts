/** GraphQL documents the flow tests send, written as a client would. */
export const RECORD_SALE = `mutation RecordSale($input: RecordSaleInput!) {
  recordSale(input: $input) { id locationId status total subtotal discount itemCount businessDate createdAt paymentMethod channel
    items { lineNo itemId name quantity unitPrice lineTotal modifiers { id name priceDelta } } }
}`;

export const VOID_ORDER = `mutation VoidOrder($id: ID!, $reason: String!) {
  voidOrder(id: $id, reason: $reason) { id status voidReason total }
}`;

export const LOCATION_DASHBOARD = `query LocationDashboard($id: ID!) {
  location(id: $id) { id name todayRevenue todayOrders averageTicket hourlyTrends { hour revenue orders }
    topItems(limit: 3) { itemId name quantity revenue } paymentMix { method amount orders paidAmount }
    comparison { sameWeekdayLastWeekRevenue sameWeekdayLastWeekOrders sameTimeLastWeekRevenue revenueChangePercent } }
}`;

export const ORDERS = `query Orders($locationId: ID!, $first: Int, $after: String, $from: Date, $to: Date) {
  orders(locationId: $locationId, first: $first, after: $after, from: $from, to: $to) {
    edges { cursor node { id total status businessDate items { name quantity } location { name } } }
    pageInfo { hasNextPage endCursor }
  }
}`;
