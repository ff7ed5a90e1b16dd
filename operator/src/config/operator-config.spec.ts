import { loadOperatorConfig, OperatorConfigError } from './operator-config';

describe('operator configuration', () => {
  it('runs on embedded defaults', () => {
    const config = loadOperatorConfig({});
    expect(config).toMatchObject({
      namespace: 'localstore-system',
      cellPort: 3000,
      selector: {},
      cellEndpointOverrides: {},
      promotionGraceSeconds: 300,
    });
    expect(config.pooledCellTemplate).toMatchObject({ namePrefix: 'pooled', maxTenants: 500, secretName: 'cell-database' });
  });

  it('reads the selector and the cell endpoints given to an operator outside the cluster', () => {
    const config = loadOperatorConfig({
      MANAGED_SELECTOR: 'localstore.vn/shard=a,team=ops',
      CELL_ENDPOINTS: '{"pooled-1":"http://127.0.0.1:3001"}',
    });
    expect(config.selector).toEqual({ 'localstore.vn/shard': 'a', team: 'ops' });
    expect(config.cellEndpointOverrides).toEqual({ 'pooled-1': 'http://127.0.0.1:3001' });
  });

  it.each([
    ['OPERATOR_NAMESPACE', 'Not_A_Label'],
    ['CELL_PORT', '70000'],
    ['DIRECTORY_DATABASE_URL', 'mysql://x'],
    ['DIRECTORY_SCHEMA', 'dir; DROP'],
    ['CELL_ENDPOINTS', '{"pooled-1":"ftp://x"}'],
    ['CELL_ENDPOINTS', '[1,2]'],
    ['CELL_ENDPOINTS', 'not json'],
    ['MANAGED_SELECTOR', 'a=b=c'],
    ['POOLED_CELL_PREFIX', '-bad-'],
    ['PROMOTION_BATCH_ROWS', '10'],
    ['RECONCILE_CONCURRENCY', 'lots'],
  ])('refuses %s=%s, naming the variable', (name, value) => {
    expect(() => loadOperatorConfig({ [name]: value })).toThrow(OperatorConfigError);
    expect(() => loadOperatorConfig({ [name]: value })).toThrow(name);
  });
});
