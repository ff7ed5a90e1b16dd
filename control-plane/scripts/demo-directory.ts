import { DEMO_TENANTS } from '@localstore/common';
import { importJWK, SignJWT } from 'jose';
import { loadControlPlaneConfig } from '../src/config/control-plane-config';
import { createDirectoryDataSource } from '../src/database/data-source';

/**
 * Embedded demo only. `register`: puts the demo businesses, their owners (with phones for
 * an OTP sign-in) and their routes to the pooled cell in the directory, idempotently.
 * `tokens`: prints a ready-made owner access token per demo business, signed with the
 * control plane's current key (12 hours, so a demo session does not need a refresh).
 */
async function main(command: string | undefined): Promise<void> {
  const config = loadControlPlaneConfig();
  const owner = createDirectoryDataSource(config, 'owner');
  await owner.initialize();
  try {
    if (command === 'register') {
      await owner.transaction(async (db) => {
        await db.query(
          `INSERT INTO cells (name, mode, endpoint, capacity) VALUES ($1, 'pooled', $2, $3)
           ON CONFLICT (name) DO UPDATE SET endpoint = excluded.endpoint`,
          [config.pooledCell.name, config.pooledCell.endpoint, config.pooledCell.capacity],
        );
        for (const tenant of DEMO_TENANTS) {
          await db.query(
            `INSERT INTO users (id, phone, display_name) VALUES ($1, $2, $3)
             ON CONFLICT (id) DO UPDATE SET phone = excluded.phone, display_name = excluded.display_name`,
            [tenant.ownerUserId, tenant.ownerPhone, tenant.ownerName],
          );
          await db.query(
            `INSERT INTO tenants (id, slug, name, plan, status) VALUES ($1, $2, $3, 'pooled', 'active')
             ON CONFLICT (id) DO UPDATE SET slug = excluded.slug, name = excluded.name
             WHERE (tenants.slug, tenants.name) IS DISTINCT FROM (excluded.slug, excluded.name)`,
            [tenant.id, tenant.slug, tenant.name],
          );
          await db.query(`INSERT INTO memberships (tenant_id, user_id, role) VALUES ($1, $2, 'owner') ON CONFLICT DO NOTHING`, [
            tenant.id,
            tenant.ownerUserId,
          ]);
          await db.query(`INSERT INTO routes (tenant_id, cell_name) VALUES ($1, $2) ON CONFLICT (tenant_id) DO NOTHING`, [
            tenant.id,
            config.pooledCell.name,
          ]);
        }
      });
      process.stdout.write(`Registered ${DEMO_TENANTS.length} demo businesses in the directory.\n`);
    } else if (command === 'tokens') {
      const [key] = await owner.query(
        `SELECT kid, private_jwk AS jwk FROM signing_keys WHERE retired_at IS NULL ORDER BY created_at DESC LIMIT 1`,
      );
      if (!key) throw new Error('no signing key yet: start the control plane first');
      const signingKey = await importJWK(key.jwk, 'ES256');
      const tokens = await Promise.all(
        DEMO_TENANTS.map(async (tenant) => ({
          slug: tenant.slug,
          name: tenant.name,
          phone: tenant.ownerPhone,
          locationId: tenant.locations[0]!.id,
          token: await new SignJWT({ tid: tenant.id, role: 'owner', locs: '*' })
            .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'JWT' })
            .setSubject(tenant.ownerUserId)
            .setIssuer(config.tokens.issuer)
            .setAudience(config.tokens.audience)
            .setIssuedAt()
            .setExpirationTime('12h')
            .sign(signingKey),
        })),
      );
      process.stdout.write(`${JSON.stringify(tokens)}\n`);
    } else {
      throw new Error('usage: demo-directory.js register|tokens');
    }
  } finally {
    await owner.destroy();
  }
}

main(process.argv[2]).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
