// ESLint for every TypeScript workspace: the recommended rules, plus a few that keep
// the house style (no floating promises in server code, no stray console output).
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '**/generated/**', '.local/**', 'coverage/**', 'bench/**/*.json', 'web/out/**', 'web/.next/**', 'web/next-env.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      'no-console': ['error', { allow: ['warn', 'error'] }],
      eqeqeq: ['error', 'always'],
    },
  },
  {
    // The web app and the web bench's in-page probes run in browsers; the service worker in a worker.
    files: ['web/src/**/*.{ts,tsx}', 'bench/web-bench-page.mjs'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // Hooks called in order, and effects that name everything they read.
    files: ['web/src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
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
