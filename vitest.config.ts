import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';
import { resolve } from 'node:path';

// SWC compiles the TypeScript so NestJS decorators and their emitted metadata work as in tsc.
export default defineConfig({
  plugins: [
    swc.vite({
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
        target: 'es2022',
      },
    }),
  ],
  resolve: {
    alias: [
      // The workspace packages, from their sources (a build is not needed to run a test).
      { find: /^@localstore\/common$/, replacement: resolve(__dirname, 'common/src/index.ts') },
      { find: /^@localstore\/common\/testing$/, replacement: resolve(__dirname, 'common/src/testing/index.ts') },
      { find: /^@localstore\/cell-db$/, replacement: resolve(__dirname, 'cell-db/src/index.ts') },
      { find: /^@localstore\/cell-db\/testing$/, replacement: resolve(__dirname, 'cell-db/src/testing/index.ts') },
      // The parts' test surfaces, for the flows (flows/tsconfig.json maps the same names).
      { find: /^@localstore\/cell-api\/testing$/, replacement: resolve(__dirname, 'cell-api/test/testing.ts') },
      { find: /^@localstore\/control-plane\/testing$/, replacement: resolve(__dirname, 'control-plane/test/testing.ts') },
      { find: /^@localstore\/operator\/testing$/, replacement: resolve(__dirname, 'operator/test/testing.ts') },
      // One copy of graphql: Nest (loaded by Node as CommonJS) and our code must share its
      // classes, or scalars fail instanceof checks (the dual-package hazard).
      { find: /^graphql$/, replacement: resolve(__dirname, 'node_modules/graphql/index.js') },
    ],
  },
  test: {
    globals: true,
    include: ['{common,cell-db,cell-api,control-plane,operator,pulumi,web,flows}/**/*.spec.ts'],
    exclude: ['**/node_modules/**', '**/dist/**', 'web/out/**', 'web/.next/**'],
    globalSetup: ['cell-db/src/testing/global-setup.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});
