/** The GraphQL documents the app sends, and the shapes it reads back. */

export type PaymentMethod = 'CASH' | 'CARD' | 'MOMO' | 'ZALOPAY' | 'VNPAY';
export const PAYMENT_METHODS: readonly PaymentMethod[] = ['CASH', 'MOMO', 'ZALOPAY', 'VNPAY', 'CARD'];

export interface Totals {
  revenue: number;
  orders: number;
  items: number;
  averageTicket: number;
}
export interface PaymentMixEntry {
  method: PaymentMethod;
  amount: number;
  orders: number;
  paidAmount: number;
}
export interface TopItem {
  itemId: string;
  name: string;
  quantity: number;
  revenue: number;
}
export interface Dashboard {
  from: string;
  to: string;
  totals: Totals;
  previousPeriod: Totals;
  daily: { date: string; revenue: number; orders: number }[];
  locations: { locationId: string; name: string; totals: Totals }[];
  paymentMix: PaymentMixEntry[];
  topItems: TopItem[];
}

const TOTALS = 'revenue orders items averageTicket';
export const DASHBOARD = `query Dashboard($range: DateRangeInput!, $lastWeek: DateRangeInput!, $lastYear: DateRangeInput!) {
  current: dashboard(range: $range) {
    from to totals { ${TOTALS} } previousPeriod { ${TOTALS} }
    daily { date revenue orders }
    locations { locationId name totals { ${TOTALS} } }
    paymentMix { method amount orders paidAmount }
    topItems(limit: 5) { itemId name quantity revenue }
  }
  lastWeek: dashboard(range: $lastWeek) { totals { ${TOTALS} } }
  lastYear: dashboard(range: $lastYear) { totals { ${TOTALS} } }
}`;

export interface LocationToday {
  id: string;
  name: string;
  todayRevenue: number;
  todayOrders: number;
  averageTicket: number;
  hourlyTrends: { hour: number; revenue: number; orders: number }[];
  topItems: TopItem[];
  paymentMix: PaymentMixEntry[];
  comparison: {
    sameWeekdayLastWeekRevenue: number;
    sameTimeLastWeekRevenue: number;
    sameWeekdayLastWeekOrders: number;
    revenueChangePercent: number | null;
  };
}
export const LOCATION_TODAY = `query LocationToday($id: ID!) {
  location(id: $id) {
    id name todayRevenue todayOrders averageTicket
    hourlyTrends { hour revenue orders }
    topItems(limit: 5) { itemId name quantity revenue }
    paymentMix { method amount orders paidAmount }
    comparison { sameWeekdayLastWeekRevenue sameTimeLastWeekRevenue sameWeekdayLastWeekOrders revenueChangePercent }
  }
}`;

export interface ForecastDay {
  itemId: string;
  date: string;
  expected: number;
  low: number;
  high: number;
  holiday: string | null;
  method: string;
}
export interface Recommendation {
  id: string;
  kind: string;
  title: string;
  explanation: string;
  priority: number;
  status: string;
  forDate: string | null;
  createdAt: string;
}
export interface Anomaly {
  id: string;
  businessDate: string;
  hour: number | null;
  kind: string;
  severity: 'info' | 'warning' | 'critical';
  reason: string | null;
  details: string;
  detectedAt: string;
}
export const LOCATION_INSIGHTS = `query LocationInsights($id: ID!, $from: Date!, $to: Date!) {
  location(id: $id) {
    id lunarObservances
    forecast(days: 7) { itemId date expected low high holiday method }
    recommendations { id kind title explanation priority status forDate createdAt }
    anomalies(from: $from, to: $to) { id businessDate hour kind severity reason details detectedAt }
  }
}`;
export const APPROVE_RECOMMENDATION = `mutation Approve($id: ID!) { approveRecommendation(id: $id) { id status } }`;
export const DISMISS_RECOMMENDATION = `mutation Dismiss($id: ID!, $reason: String) { dismissRecommendation(id: $id, reason: $reason) { id status } }`;
export const SET_LUNAR = `mutation Lunar($id: ID!, $on: Boolean!) { setLunarObservances(locationId: $id, on: $on) { id lunarObservances } }`;

export interface LocationSummary {
  id: string;
  name: string;
}
export const LOCATIONS = `query Locations { locations { id name } }`;

export interface MenuModifier {
  id: string;
  name: string;
  priceDelta: number;
}
export interface MenuItem {
  id: string;
  name: string;
  price: number;
  active: boolean;
  sortOrder: number;
  modifiers: MenuModifier[];
}
export interface MenuCategory {
  id: string;
  name: string;
  sortOrder: number;
  items: MenuItem[];
}
export const MENU = `query Menu { menuCategories { id name sortOrder items { id name price active sortOrder modifiers { id name priceDelta } } } }`;

export interface SaleInput {
  id: string;
  locationId: string;
  items: { itemId: string; quantity: number; modifiers: string[] }[];
  discount: number;
  paymentMethod: PaymentMethod;
  channel: 'DINE_IN' | 'TAKEAWAY' | 'DELIVERY';
  occurredAt: string;
}
export const RECORD_SALE = `mutation RecordSale($input: RecordSaleInput!) { recordSale(input: $input) { id total status createdAt } }`;

export interface OrderRow {
  id: string;
  createdAt: string;
  total: number;
  itemCount: number;
  paymentMethod: PaymentMethod;
  status: 'COMPLETED' | 'VOIDED';
  paidAt: string | null;
  voidReason: string | null;
  items: { name: string; quantity: number }[];
}
export const TODAYS_ORDERS = `query Orders($locationId: ID!, $day: Date!) {
  orders(locationId: $locationId, from: $day, to: $day, first: 100) {
    edges { node { id createdAt total itemCount paymentMethod status paidAt voidReason items { name quantity } } }
  }
}`;
export const VOID_ORDER = `mutation Void($id: ID!, $reason: String!) { voidOrder(id: $id, reason: $reason) { id status voidReason } }`;

/* The control plane's directory, team and billing. */
export interface TenantMembership {
  id: string;
  slug: string;
  name: string;
  role: 'owner' | 'manager' | 'staff';
  plan: string;
}
export const MY_TENANTS = `query MyTenants { myTenants { id slug name role plan } }`;
export const JOIN_WITH_CODE = `mutation Join($code: String!) { joinWithCode(code: $code) { id slug name role plan } }`;
export interface Member {
  userId: string;
  phone: string;
  role: string;
  displayName: string | null;
  locationIds: string[] | null;
}
export const MEMBERS = `query Members($tenantId: ID!) { members(tenantId: $tenantId) { userId phone role displayName locationIds } }`;
export const INVITE_MEMBER = `mutation Invite($input: InviteInput!) { inviteMember(input: $input) { id phone role expiresAt } }`;
export const CREATE_JOIN_CODE = `mutation JoinCode($input: JoinCodeInput!) { createJoinCode(input: $input) { code expiresAt } }`;
export const CHANGE_PLAN = `mutation Plan($tenantId: ID!, $plan: String!) { changePlan(tenantId: $tenantId, plan: $plan) { id plan } }`;
export const CONNECT_PROVIDER = `mutation Connect($input: ConnectPaymentProviderInput!) { connectPaymentProvider(input: $input) { provider merchantCode } }`;
export const REQUEST_PAYMENT = `mutation RequestPayment($orderId: ID!, $provider: String!) { requestPayment(orderId: $orderId, provider: $provider) { provider orderRef payUrl expiresAt } }`;

export type WalletProvider = 'momo' | 'zalopay' | 'vnpay';
export const WALLET_NAMES: Record<WalletProvider, string> = { momo: 'MoMo', zalopay: 'ZaloPay', vnpay: 'VNPay' };
/** The wallet a sale's payment method is collected through, or null for cash and card. */
export const walletOf = (method: PaymentMethod): WalletProvider | null =>
  method === 'MOMO' || method === 'ZALOPAY' || method === 'VNPAY' ? (method.toLowerCase() as WalletProvider) : null;

export interface PaymentCheckout {
  provider: WalletProvider;
  orderRef: string;
  payUrl: string;
  expiresAt: string;
}

export const PROVIDER_ACCOUNTS = `query Accounts($tenantId: ID!) { paymentProviderAccounts(tenantId: $tenantId) { provider merchantCode connectedAt } }`;

export interface ProviderAccount {
  provider: WalletProvider;
  merchantCode: string;
  connectedAt: string;
}
