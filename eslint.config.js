// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

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
const pure = {
  'no-restricted-imports': [
    'error',
    {
      patterns: [
        {
          group: ['node:*', 'fs', 'path', 'http', 'https', 'crypto', 'better-sqlite3'],
          message: 'Pure package: no I/O.',
        },
        {
          group: ['@provisio/*', '!@provisio/expressions', '!@provisio/contracts'],
          message: 'engine may only use expressions and contracts.',
        },
      ],
    },
  ],
  'no-restricted-properties': [
    'error',
    { object: 'Date', property: 'now', message: 'Pass time in as an argument.' },
    { object: 'Math', property: 'random', message: 'Pass randomness in as an argument.' },
  ],
};

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
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-empty': ['error', { allowEmptyCatch: false }],
    },
  },
  { files: ['packages/contracts/**', 'packages/expressions/**'], rules: { ...only([]) } },
  {
    files: ['packages/expressions/src/**'],
    ignores: ['**/*.test.ts'],
    rules: { 'no-restricted-properties': pure['no-restricted-properties'] },
  },
  { files: ['packages/engine/src/**'], ignores: ['**/*.test.ts'], rules: pure },
  { files: ['packages/scim-client/**'], rules: { ...only([]) } },
  { files: ['packages/gallery/**'], rules: { ...only(['contracts']) } },
  { files: ['packages/db/**'], rules: { ...only(['contracts', 'engine']) } },
  { files: ['apps/api/**'], rules: { ...only(['contracts', 'engine', 'db', 'scim-client', 'gallery']) } },
  { files: ['apps/worker/**'], rules: { ...only(['engine', 'db', 'scim-client', 'expressions']) } },
  // Tests set jobs up as the API would, from the gallery's templates.
  {
    files: ['apps/worker/test/**'],
    rules: { ...only(['engine', 'db', 'scim-client', 'expressions', 'gallery']) },
  },
  { files: ['apps/sample-app/**'], rules: { ...only([]) } },
  {
    files: ['apps/web/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: { ...only(['contracts']) },
  },
  { files: ['e2e/**'], rules: { ...only(['contracts']) } },
);
