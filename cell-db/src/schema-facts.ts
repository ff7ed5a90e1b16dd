/**
 * Group role that migrations grant table privileges to. Login roles of the application
 * are members of it; they own nothing and have no BYPASSRLS.
 */
export const APP_GROUP_ROLE = 'localstore_cell_app';

/**
 * The tenant tables of the initial schema, as that migration created them (it enables their
 * row-level security). Part of a released migration, so never edited; today's tenant tables
 * are read from the catalog (`tenantTablesInDependencyOrder`).
 */
export const INITIAL_TENANT_TABLES = [
  'tenants',
  'locations',
  'staff',
  'menu_categories',
  'menu_items',
  'modifiers',
  'orders',
  'order_items',
  'payments',
  'sales_hourly',
  'item_sales_daily',
  'payment_method_daily',
  'recommendations',
  'anomalies',
  'notifications',
  'audit_log',
] as const;

/**
 * SQLSTATE of a write refused because its tenant is being moved to another cell: the
 * operator's change capture raises it from a trigger for the few seconds between freezing
 * the tenant's rows and flipping its route, and the cell API maps it to a retryable 503.
 */
export const TENANT_MOVING_SQLSTATE = 'LSMOV';
