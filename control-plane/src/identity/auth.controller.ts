import { Body, Controller, Get, Header, Headers, HttpCode, Ip, Post } from '@nestjs/common';
import { AuthService, type TokenPair } from './auth.service';
import { SigningKeyRing } from './signing-key-ring';

type Json = Record<string, unknown> | undefined;

/** `/api/v1/auth`: one line per endpoint; the service holds the rules (see openapi.yaml). */
@Controller('api/v1/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('otp/request')
  @HttpCode(202)
  requestCode(@Body() body: Json, @Ip() ip: string): Promise<{ phone: string; expiresIn: number }> {
    return this.auth.requestCode(body?.phone, ip);
  }

  @Post('otp/verify')
  @HttpCode(200)
  verifyCode(@Body() body: Json): Promise<TokenPair> {
    return this.auth.verifyCode(body?.phone, body?.code);
  }

  @Post('refresh')
  @HttpCode(200)
  refresh(@Body() body: Json, @Ip() ip: string): Promise<TokenPair> {
    return this.auth.refresh(body?.refreshToken, ip);
  }

  @Post('logout')
  @HttpCode(204)
  logout(@Body() body: Json): Promise<void> {
    return this.auth.logout(body?.refreshToken);
  }

  @Post('switch-tenant')
  @HttpCode(200)
  switchTenant(@Headers('authorization') authorization: string | undefined, @Body() body: Json): Promise<TokenPair> {
    return this.auth.switchTenant(authorization, body?.tenantId);
  }
}

@Controller()
export class JwksController {
  constructor(private readonly keys: SigningKeyRing) {}

  /** Cells fetch this and cache keys by `kid`; a new key appears here before it signs anything seen by them. */
  @Get('.well-known/jwks.json')
  @Header('Cache-Control', 'public, max-age=300')
  jwks(): { keys: unknown[] } {
    return this.keys.jwks();
  }
}
