import { AuthErrorCode, AuthException } from '../auth/auth.exception';
import { LocationErrorCode, LocationException } from '../locations/location.exception';
import { InputException } from './input.exception';
import { handshakeRefusal, joinRefusal, toSocketRefusal } from './socket-refusal';

/** Socket refusals from feature exceptions. Pure functions; nothing stubbed. */
describe('toSocketRefusal', () => {
  it('gives the client code and the feature’s reason of an auth refusal', () => {
    expect(toSocketRefusal(new AuthException(AuthErrorCode.TOKEN_EXPIRED))).toEqual({ code: 'UNAUTHENTICATED', reason: 'TOKEN_EXPIRED' });
    expect(toSocketRefusal(new AuthException(AuthErrorCode.TENANT_MISMATCH))).toEqual({ code: 'FORBIDDEN', reason: 'TENANT_MISMATCH' });
  });

  it('names the offending field of bad input', () => {
    expect(toSocketRefusal(new InputException('since', 'min'))).toEqual({
      code: 'BAD_USER_INPUT',
      reason: 'INVALID_INPUT',
      field: 'since',
    });
    expect(toSocketRefusal(new LocationException(LocationErrorCode.LOCATION_NOT_FOUND))).toEqual({
      code: 'NOT_FOUND',
      reason: 'LOCATION_NOT_FOUND',
    });
  });

  it('masks anything that is not a feature’s exception', () => {
    const leaky = new Error('relation "locations" does not exist at SELECT 1 FROM locations');
    expect(toSocketRefusal(leaky)).toEqual({ code: 'INTERNAL_SERVER_ERROR', reason: 'INTERNAL' });
    expect(toSocketRefusal('a string')).toEqual({ code: 'INTERNAL_SERVER_ERROR', reason: 'INTERNAL' });
    expect(JSON.stringify(handshakeRefusal(toSocketRefusal(leaky)).data)).not.toMatch(/SELECT|relation/);
  });

  it('keeps the wire shapes clients read: connect_error’s message and data, join’s answer', () => {
    const refused = handshakeRefusal(toSocketRefusal(new AuthException(AuthErrorCode.TOKEN_MISSING)));
    expect(refused).toBeInstanceOf(Error);
    expect(refused.message).toBe('UNAUTHENTICATED');
    expect(refused.data).toEqual({ code: 'UNAUTHENTICATED', reason: 'TOKEN_MISSING' });
    expect(joinRefusal(toSocketRefusal(new AuthException(AuthErrorCode.LOCATION_FORBIDDEN)))).toEqual({ ok: false, code: 'FORBIDDEN' });
    expect(joinRefusal(toSocketRefusal(new InputException('locationId', 'isUuid')))).toEqual({
      ok: false,
      code: 'BAD_USER_INPUT',
      field: 'locationId',
    });
  });
});
