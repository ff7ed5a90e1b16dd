// ESLint for every TypeScript workspace: the recommended rules, plus a few that keep
// the house style (no floating promises in server code, no stray console output).
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import noRelativeEscape from './eslint-rules/no-relative-escape.mjs';

/**
 * The arrows between workspaces (ARCHITECTURE.md's parts and packages): what each may import
 * by package name. Parts never import each other: they talk over HTTP, NATS and the
 * Kubernetes API. Shared code is a package (`common`, `cell-db`); tests that span parts live
 * in `flows/`, which no part imports. A relative path into another workspace is refused by
 * `localstore/no-relative-escape`, so these names are the only doors.
 */
const PARTS_AND_PACKAGES = ['common', 'cell-db', 'cell-api', 'control-plane', 'operator', 'web', 'pulumi', 'flows'];
/** common's modules the browser may load (no Node built-ins, no server libraries). */
const BROWSER_SAFE_COMMON = ['money', 'time', 'holidays', 'live-events', 'slug', 'phone'];
const ALLOWED = {
  common: [],
  'cell-db': ['common'],
  'cell-api': ['common', 'cell-db'],
  'control-plane': ['common'],
  operator: ['common', 'cell-db'],
  pulumi: [],
};

/** One `no-restricted-imports` block per workspace: every @localstore package it may not use. */
function boundaryOf(workspace, allowed) {
  const refused = PARTS_AND_PACKAGES.filter((name) => name !== workspace && !allowed.includes(name));
  return {
    files: [`${workspace}/**/*.{ts,tsx,mjs,js}`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: `^@localstore/(${refused.join('|')})(/|$)`,
              message: `${workspace} may import only ${allowed.length ? allowed.map((name) => `@localstore/${name}`).join(' and ') : 'no @localstore package'} (see the arrows in eslint.config.mjs and ARCHITECTURE.md).`,
            },
          ],
        },
      ],
    },
  };
}

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/generated/**',
      '.local/**',
      'coverage/**',
      'bench/**/*.json',
      'web/out/**',
      'web/.next/**',
      'web/next-env.d.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      'no-console': ['error', { allow: ['warn', 'error'] }],
      eqeqeq: ['error', 'always'],
    },
  },
  {
    // The web app and the web bench's in-page probes run in browsers; the service worker in a worker.
    files: ['web/src/**/*.{ts,tsx}', 'bench/web/page-probes.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // Hooks called in order, and effects that name everything they read.
    files: ['web/src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  // Walls between workspaces (flows/boundaries/import-boundaries.spec.ts shows each one fire).
  { plugins: { localstore: { rules: { 'no-relative-escape': noRelativeEscape } } } },
  {
    files: ['{common,cell-db,cell-api,control-plane,operator,pulumi,web,flows}/**/*.{ts,tsx,mjs,js}'],
    rules: { 'localstore/no-relative-escape': 'error' },
  },
  ...Object.entries(ALLOWED).map(([workspace, allowed]) => boundaryOf(workspace, allowed)),
  {
    // The browser app: common's browser-safe modules only, never a server part or common's Node side.
    files: ['web/**/*.{ts,tsx,mjs,js}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: `^@localstore/(?!common/src/(${BROWSER_SAFE_COMMON.join('|')})$)`,
              message: `The web app runs in browsers: it may import only common's browser-safe modules (${BROWSER_SAFE_COMMON.map((name) => `@localstore/common/src/${name}`).join(', ')}).`,
            },
          ],
        },
      ],
    },
  },
  {
    // Flows may use every package and each part's test surface, never a part's insides.
    files: ['flows/**/*.{ts,tsx,mjs,js}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^@localstore/(cell-api|control-plane|operator|web|pulumi)(?!/testing$)(/|$)',
              message: 'A flow reaches a part only through its test surface, @localstore/<part>/testing.',
            },
          ],
        },
      ],
    },
  },
  {
    // The benchmarks measure the compiled parts from outside: they start them through the flows
    // harness and borrow compiled modules through bench/lib/compiled.ts, never a part's sources.
    files: ['bench/**/*.{ts,mjs,js}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^@localstore/(?!(common|common/testing|cell-db|flows/harness/[a-z-]+)$)',
              message:
                'The bench uses @localstore/common, @localstore/cell-db and @localstore/flows/harness/*; a part only as a compiled server or through bench/lib/compiled.ts.',
            },
          ],
        },
      ],
    },
  },
  {
    // A package's `testing` entry: CommonJS that points Node at the built test surface.
    files: ['*/testing.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['web/scripts/sw-template.js'],
    languageOptions: { globals: { ...globals.serviceworker, __PRECACHE__: 'readonly' } },
  },
  {
    files: ['**/*.spec.ts', '**/test/**/*.ts', 'flows/**', 'bench/**', 'scripts/**', 'web/scripts/**'],
    rules: { 'no-console': 'off', '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
