import type { AccessTokenVerifier } from '@localstore/common';
import { bearerToken, InvalidAccessTokenError } from '@localstore/common';
import type { Request } from 'express';
import { DirectoryErrorCode, DirectoryException } from './directory.exception';

/** A directory request: who is calling, once their token is verified. */
export interface DirectoryContext {
  userId: string | null;
  language: string | undefined;
}

export async function directoryContextOf(req: Request, verifier: AccessTokenVerifier): Promise<DirectoryContext> {
  const token = bearerToken(req.header('authorization'));
  let userId: string | null = null;
  if (token) {
    try {
      userId = (await verifier.verifyIdentity(token)).userId;
    } catch (error) {
      if (!(error instanceof InvalidAccessTokenError)) throw error;
    }
  }
  return { userId, language: req.header('accept-language') };
}

export function signedInUser(ctx: DirectoryContext): string {
  if (!ctx.userId) throw new DirectoryException(DirectoryErrorCode.TOKEN_MISSING);
  return ctx.userId;
}
