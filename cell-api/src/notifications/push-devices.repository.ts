import { Injectable } from '@nestjs/common';
import type { TenantDb } from '@localstore/cell-db';

export interface PushDevice {
  id: string;
  userId: string;
  role: string;
  kind: 'fcm' | 'webpush';
  token: string;
  p256dh: string | null;
  auth: string | null;
}

const COLUMNS = 'id, user_id AS "userId", role, kind, token, p256dh, auth';

/** The SQL of push devices. */
@Injectable()
export class PushDevicesRepository {
  /** The same token registered again (the app starts, the browser renews) moves to the caller. */
  async register(db: TenantDb, device: Omit<PushDevice, 'id'>): Promise<string> {
    const [row] = await db.query<{ id: string }>(
      `INSERT INTO push_devices (tenant_id, user_id, role, kind, token, p256dh, auth) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (tenant_id, kind, token) DO UPDATE SET user_id = excluded.user_id, role = excluded.role, p256dh = excluded.p256dh, auth = excluded.auth
       RETURNING id`,
      [db.tenantId, device.userId, device.role, device.kind, device.token, device.p256dh, device.auth],
    );
    return row!.id;
  }

  async removeOwn(db: TenantDb, id: string, userId: string): Promise<boolean> {
    return (await db.query('DELETE FROM push_devices WHERE id = $1 AND user_id = $2 RETURNING id', [id, userId])).length > 0;
  }

  ownersDevices(db: TenantDb): Promise<PushDevice[]> {
    return db.query<PushDevice>(`SELECT ${COLUMNS} FROM push_devices WHERE role = 'owner'`);
  }

  async byId(db: TenantDb, id: string): Promise<PushDevice | null> {
    const [row] = await db.query<PushDevice>(`SELECT ${COLUMNS} FROM push_devices WHERE id = $1`, [id]);
    return row ?? null;
  }

  async prune(db: TenantDb, id: string): Promise<void> {
    await db.query('DELETE FROM push_devices WHERE id = $1', [id]);
  }

  async markSent(db: TenantDb, id: string): Promise<void> {
    await db.query('UPDATE push_devices SET last_sent_at = now() WHERE id = $1', [id]);
  }

  /** A summary of the order's dishes for the push text: the first name and how many more. */
  async orderSummary(db: TenantDb, orderId: string): Promise<{ first: string | null; others: number }> {
    const rows = await db.query<{ item_name: string }>('SELECT item_name FROM order_items WHERE order_id = $1 ORDER BY line_no', [orderId]);
    return { first: rows[0]?.item_name ?? null, others: Math.max(0, rows.length - 1) };
  }
}
