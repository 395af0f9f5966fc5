// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

/** Restricts which workspace packages a folder may import (the layering of STYLE.md). */
const only = (allowed) => ({
  'no-restricted-imports': [
    'error',
    {
      patterns: [
        {
          group: ['@provisio/*', ...allowed.map((a) => `!@provisio/${a}`)],
          message: 'This package may not depend on that workspace package (see packages/*/README.md).',
        },
        { group: ['**/apps/*', '../../apps/*'], message: 'Nothing imports from apps/*.' },
      ],
    },
  ],
});
/** No I/O: what a pure package may not import. */
const noIo = {
  group: ['node:*', 'fs', 'path', 'http', 'https', 'crypto', 'net', 'child_process', 'better-sqlite3'],
  message: 'Pure package: no I/O.',
};
/** No clock, no randomness, no network: time, ids and randomness come in as arguments. */
const noHiddenInputs = {
  'no-restricted-properties': [
    'error',
    { object: 'Date', property: 'now', message: 'Pass time in as an argument.' },
    { object: 'Math', property: 'random', message: 'Pass randomness in as an argument.' },
    { object: 'performance', property: 'now', message: 'Pass time in as an argument.' },
    { object: 'crypto', property: 'randomUUID', message: 'Pass ids in as arguments.' },
  ],
  'no-restricted-syntax': [
    'error',
    {
      selector: "NewExpression[callee.name='Date'][arguments.length=0]",
      message: 'Pass time in as an argument.',
    },
    { selector: "CallExpression[callee.name='Date']", message: 'Pass time in as an argument.' },
  ],
  'no-restricted-globals': [
    'error',
    ...['fetch', 'XMLHttpRequest', 'WebSocket', 'EventSource'].map((name) => ({
      name,
      message: 'Pure package: no network.',
    })),
    ...['performance', 'crypto'].map((name) => ({ name, message: 'Pure package: pass time and ids in.' })),
  ],
};
const pure = (allowed) => ({
  'no-restricted-imports': [
    'error',
    {
      patterns: [
        noIo,
        {
          group: ['@provisio/*', ...allowed.map((a) => `!@provisio/${a}`)],
          message: `This package may only use ${allowed.length ? allowed.join(' and ') : 'nothing of ours'}.`,
        },
      ],
    },
  ],
  ...noHiddenInputs,
});

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      // Run-time data directories only; apps/web/src/data is code.
      'data/**',
      'apps/*/data/**',
      '**/test-results/**',
      '**/playwright-report/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver()],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/extensions': ['.ts', '.tsx', '.js'],
    },
    rules: {
      // No import cycles, within a package or across packages.
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      // Another package is reached by its name, never by a relative path into its folder.
      'import-x/no-relative-packages': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-empty': ['error', { allowEmptyCatch: false }],
    },
  },
  { files: ['packages/contracts/**'], rules: { ...only([]) } },
  { files: ['packages/expressions/**'], rules: { ...only([]) } },
  { files: ['packages/expressions/src/**'], ignores: ['**/*.test.ts'], rules: pure([]) },
  { files: ['packages/engine/src/**'], ignores: ['**/*.test.ts'], rules: pure(['expressions', 'contracts']) },
  { files: ['packages/scim-client/**'], rules: { ...only([]) } },
  { files: ['packages/mailer/**'], rules: { ...only([]) } },
  { files: ['packages/gallery/**'], rules: { ...only(['contracts']) } },
  { files: ['packages/db/**'], rules: { ...only(['contracts', 'engine']) } },
  {
    files: ['apps/api/**'],
    rules: { ...only(['contracts', 'engine', 'db', 'scim-client', 'gallery', 'mailer']) },
  },
  { files: ['apps/worker/**'], rules: { ...only(['engine', 'db', 'scim-client', 'expressions', 'mailer']) } },
  // A cycle reads one clock and one source of randomness, handed to it (the worker's defaults live in worker.ts).
  {
    files: ['apps/worker/src/**'],
    ignores: ['**/*.test.ts', 'apps/worker/src/worker.ts', 'apps/worker/src/main.ts'],
    rules: {
      'no-restricted-properties': noHiddenInputs['no-restricted-properties'],
      'no-restricted-syntax': noHiddenInputs['no-restricted-syntax'],
    },
  },
  // Tests set jobs up as the API would, from the gallery's templates.
  {
    files: ['apps/worker/test/**'],
    rules: { ...only(['engine', 'db', 'scim-client', 'expressions', 'mailer', 'gallery']) },
  },
  { files: ['apps/sample-app/**'], rules: { ...only([]) } },
  {
    files: ['apps/web/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: { ...only(['contracts']) },
  },
  { files: ['e2e/**'], rules: { ...only(['contracts']) } },
);
