import { Body, Controller, Delete, Headers, HttpCode, Param, Put } from '@nestjs/common';
import { AccessTokenVerifier, bearerToken, InvalidAccessTokenError, isSlug, isUuid } from '@localstore/common';
import { DataSource } from 'typeorm';
import { deleteUnstartedTenant, upsertTenant, withTenantTransaction } from '@localstore/cell-db';
import { AuthErrorCode, AuthException } from '../auth/auth.exception';
import { InputException } from '../errors/input.exception';
import { PaymentsConsumer } from '../payments/payments-consumer';

export const PROVISION_SCOPE = 'cell:provision';

interface TenantBody {
  slug?: unknown;
  name?: unknown;
  plan?: unknown;
}

/**
 * The control plane's door into the cell's copy of its tenants. Only a service token of the
 * control plane with the provisioning scope opens it; every write runs under the tenant's
 * own RLS scope, like any request.
 */
@Controller('internal/tenants')
export class ProvisioningController {
  constructor(
    private readonly verifier: AccessTokenVerifier,
    private readonly dataSource: DataSource,
    private readonly payments: PaymentsConsumer,
  ) {}

  /** Creates or updates the tenant's row (idempotent: signup retries are safe). */
  @Put(':id')
  @HttpCode(200)
  async upsert(
    @Param('id') id: string,
    @Body() body: TenantBody,
    @Headers('authorization') authorization?: string,
  ): Promise<{ id: string }> {
    await this.authorize(authorization);
    const { slug, name, plan } = body ?? {};
    if (!isUuid(id)) throw new InputException('id', 'isUuid');
    if (!isSlug(slug)) throw new InputException('slug', 'isSlug');
    if (typeof name !== 'string' || name.trim().length === 0) throw new InputException('name', 'isNotEmpty');
    if (name.length > 200) throw new InputException('name', 'maxLength', { max: 200 });
    if (plan !== 'pooled' && plan !== 'dedicated') throw new InputException('plan', 'isIn', { values: 'pooled, dedicated' });
    await withTenantTransaction(this.dataSource, id, (db) => upsertTenant(db, { id, slug, name: name.trim(), plan }));
    // Its payments start arriving as soon as it can take one.
    this.payments.refreshSoon();
    return { id };
  }

  /** Undoes an unfinished signup. A tenant that already has locations is never deleted here. */
  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id') id: string, @Headers('authorization') authorization?: string): Promise<void> {
    await this.authorize(authorization);
    if (!isUuid(id)) throw new InputException('id', 'isUuid');
    await withTenantTransaction(this.dataSource, id, deleteUnstartedTenant);
  }

  private async authorize(authorization: string | undefined): Promise<void> {
    try {
      await this.verifier.verifyService(bearerToken(authorization) ?? '', PROVISION_SCOPE);
    } catch (error) {
      if (error instanceof InvalidAccessTokenError) throw new AuthException(AuthErrorCode.TOKEN_INVALID, 'authorization');
      throw error;
    }
  }
}
