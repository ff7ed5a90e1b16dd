import { ConfigError, loadCellConfig } from './cell-config';

describe('cell configuration', () => {
  it('runs on embedded defaults with no environment at all', () => {
    const config = loadCellConfig({});
    expect(config).toMatchObject({ cellName: 'pooled-1', port: 3001, database: { schema: 'cell_pooled', poolSize: 20 } });
    expect(config.auth.jwksFile).toMatch(/\.local\/demo\/jwks\.json$/);
  });

  it("prefers the control plane's JWKS URL when one is given", () => {
    const config = loadCellConfig({ AUTH_JWKS_URL: 'http://control-plane:8080/.well-known/jwks.json' });
    expect(config.auth).toMatchObject({ jwksUrl: 'http://control-plane:8080/.well-known/jwks.json', jwksFile: undefined });
  });

  it('refuses to start on wrong values, naming every one', () => {
    const attempt = () =>
      loadCellConfig({
        PORT: '99999',
        DATABASE_SCHEMA: 'cell; DROP',
        DATABASE_URL: 'mysql://x',
        GRAPHQL_INTROSPECTION: 'maybe',
        LOG_LEVEL: 'loud',
        REDIS_URL: 'http://redis',
        REDIS_KEY_PREFIX: 'a b',
      });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      for (const name of [
        'PORT',
        'DATABASE_SCHEMA',
        'DATABASE_URL',
        'GRAPHQL_INTROSPECTION',
        'LOG_LEVEL',
        'REDIS_URL',
        'REDIS_KEY_PREFIX',
      ]) {
        expect((error as Error).message).toContain(name);
      }
    }
  });
});
