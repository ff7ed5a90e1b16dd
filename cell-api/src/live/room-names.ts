/** Room names carry the tenant, so no two tenants can ever share a room. */
export const tenantRoom = (tenantId: string) => `tenant:${tenantId}`;
export const locationRoom = (tenantId: string, locationId: string) => `location:${tenantId}:${locationId}`;
/** Every socket of one user, to tell whether they have a screen open anywhere. */
export const userRoom = (tenantId: string, userId: string) => `user:${tenantId}:${userId}`;
