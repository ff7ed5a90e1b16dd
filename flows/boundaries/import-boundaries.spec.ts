import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ESLint } from 'eslint';

/**
 * The walls between workspaces hold because ESLint refuses what crosses them
 * (eslint.config.mjs). Each wall is shown to fire on a fixture that breaks it, linted as if
 * it sat in the workspace it names (the file need not exist), beside a fixture the wall
 * lets through: a rule that never fires, or fires on everything, fails here.
 */
const ROOT = resolve(__dirname, '../..');

interface Fixture {
  /** The arrow the fixture breaks, as a sentence. */
  wall: string;
  /** Where the fixture pretends to be. */
  filePath: string;
  /** An import that crosses the wall. */
  refused: string;
  /** An import from the same place that the walls allow. */
  allowed: string;
}

const FIXTURES: Fixture[] = [
  {
    wall: 'cell-api does not import the control plane',
    filePath: 'cell-api/src/sales/fixture.ts',
    refused: "import { TestControlPlane } from '@localstore/control-plane/testing';",
    allowed: "import { withTenantTransaction } from '@localstore/cell-db';",
  },
  {
    wall: 'the control plane does not import cell-api',
    filePath: 'control-plane/src/router/fixture.ts',
    refused: "import { TestCell } from '@localstore/cell-api/testing';",
    allowed: "import { targetOfHost } from '@localstore/common';",
  },
  {
    wall: 'the control plane does not reach the cell database',
    filePath: 'control-plane/src/directory/fixture.ts',
    refused: "import { upsertTenant } from '@localstore/cell-db';",
    allowed: "import { isSlug } from '@localstore/common';",
  },
  {
    wall: 'common imports no part',
    filePath: 'common/src/fixture.ts',
    refused: "import { MIGRATIONS } from '@localstore/cell-db';",
    allowed: "import { formatDong } from './money';",
  },
  {
    wall: 'cell-db imports no part',
    filePath: 'cell-db/src/fixture.ts',
    refused: "import { loadCellConfig } from '@localstore/cell-api';",
    allowed: "import { isUuid } from '@localstore/common';",
  },
  {
    wall: 'the bench reaches a part only as a compiled server, never its test surface',
    filePath: 'bench/cell/fixture.ts',
    refused: "import { TestCell } from '@localstore/cell-api/testing';",
    allowed: "import { CompiledServer } from '@localstore/flows/harness/compiled-servers';",
  },
  {
    wall: 'the web app imports no server part',
    filePath: 'web/src/lib/fixture.ts',
    refused: "import { ORDERS } from '@localstore/cell-api/testing';",
    allowed: "import { formatDong } from '@localstore/common/src/money';",
  },
  {
    wall: "the web app imports none of common's Node side",
    filePath: 'web/src/components/fixture.tsx',
    refused: "import { AccessTokenVerifier } from '@localstore/common';",
    allowed: "import { VN_TIME_ZONE } from '@localstore/common/src/time';",
  },
  {
    wall: 'the operator does not import cell-api',
    filePath: 'operator/src/cells/fixture.ts',
    refused: "import { TestCell } from '@localstore/cell-api/testing';",
    allowed: "import { migrateCellSchema } from '@localstore/cell-db';",
  },
  {
    wall: 'the operator does not import the control plane',
    filePath: 'operator/src/tenants/fixture.ts',
    refused: "import { httpRequest } from '@localstore/control-plane/testing';",
    allowed: "import { assertTenantId } from '@localstore/cell-db';",
  },
  {
    wall: 'no part imports flows',
    filePath: 'cell-api/test/fixture.ts',
    refused: "import { PaymentsStack } from '@localstore/flows';",
    allowed: "import { eventually } from '@localstore/common/testing';",
  },
  {
    wall: "a flow reaches a part only through the part's test surface",
    filePath: 'flows/payments/fixture.spec.ts',
    refused: "import { LiveGateway } from '@localstore/cell-api/src/live/live-gateway';",
    allowed: "import { TestCell } from '@localstore/cell-api/testing';",
  },
  {
    wall: "a relative path does not reach into another workspace's sources",
    filePath: 'control-plane/test/fixture.ts',
    refused: "import { TestCell } from '../../cell-api/test/test-cell';",
    allowed: "import { TestControlPlane } from './test-control-plane';",
  },
  {
    wall: "a flow does not reach a part's sources by a relative path",
    filePath: 'flows/harness/fixture.ts',
    refused: "import { Operator } from '../../operator/src/operator';",
    allowed: "import { WalletProviders } from './wallet-providers';",
  },
];

describe('the walls between workspaces', () => {
  const eslint = new ESLint({ cwd: ROOT });
  const boundaryErrors = async (code: string, filePath: string) => {
    const [result] = await eslint.lintText(`${code}\nexport const used = [];\n`, { filePath: join(ROOT, filePath) });
    return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'localstore/no-relative-escape');
  };

  for (const fixture of FIXTURES) {
    it(`ESLint refuses a fixture where ${fixture.wall}, and lets the allowed import through`, async () => {
      const refused = await boundaryErrors(fixture.refused, fixture.filePath);
      expect(refused, fixture.refused).toHaveLength(1);
      expect(await boundaryErrors(fixture.allowed, fixture.filePath), fixture.allowed).toEqual([]);
    });
  }

  it('every workspace declares the @localstore packages its code imports', () => {
    const workspaces: string[] = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).workspaces;
    expect(workspaces).toEqual(expect.arrayContaining(['common', 'cell-db', 'cell-api', 'control-plane', 'operator', 'web', 'flows']));
    const undeclared: string[] = [];
    for (const workspace of workspaces) {
      const manifest = JSON.parse(readFileSync(join(ROOT, workspace, 'package.json'), 'utf8'));
      const declared = new Set(Object.keys({ ...manifest.dependencies, ...manifest.devDependencies }));
      for (const file of sourcesOf(join(ROOT, workspace))) {
        for (const [, name] of readFileSync(file, 'utf8').matchAll(/from '(@localstore\/[a-z-]+)/g)) {
          if (name !== manifest.name && !declared.has(name!))
            undeclared.push(`${workspace} imports ${name} without declaring it (${file.slice(ROOT.length + 1)})`);
        }
      }
    }
    expect(undeclared).toEqual([]);
  });
});

/** The TypeScript sources of a workspace, outside its dependencies and build output. */
function sourcesOf(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (['node_modules', 'dist', 'out', '.next'].includes(entry.name)) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourcesOf(path);
    return /\.(ts|tsx|mjs)$/.test(entry.name) ? [path] : [];
  });
}
