import { readdirSync } from 'node:fs';
import js from '@eslint/js';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const features = readdirSync(new URL('./src/features', import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

export default tseslint.config(
  { ignores: ['dist', 'build', 'node_modules', 'playwright-report', 'test-results'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    plugins: { 'react-hooks': reactHooks, 'import-x': importX },
    // Without a resolver that knows TypeScript's extensions, import rules skip every relative import.
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js'] })],
      // no-cycle parses the modules an import reaches: it must know they are TypeScript.
      'import-x/extensions': ['.ts', '.tsx', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
    },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'import-x/order': [
        'error',
        { groups: ['builtin', 'external', 'parent', 'sibling', 'index'], alphabetize: { order: 'asc' } },
      ],
      'import-x/no-default-export': 'error',
      'import-x/no-duplicates': 'error',
      'import-x/no-cycle': 'error',
      'no-console': ['error', { allow: ['warn', 'error'] }],
      '@typescript-eslint/consistent-type-imports': 'error',
      // Leaving a field out by destructuring it is how an object is copied without it.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
      // Imports run one way: app -> features -> shared (components, lib).
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            { target: './src/features', from: './src/app', message: 'Features must not depend on the app.' },
            {
              target: ['./src/components', './src/lib'],
              from: ['./src/app', './src/features'],
              message: 'Shared code must not depend on features or the app.',
            },
            // Features do not import each other (bulletproof-react's rule): one zone per feature, so a
            // new feature is covered without listing pairs.
            ...features.map((feature) => ({
              target: `./src/features/${feature}`,
              from: './src/features',
              except: [`./${feature}`],
              message: 'Features do not import each other; compose them in src/app.',
            })),
            // The wire contract stands alone: the console, the mocks and the server import it, never the reverse.
            {
              target: './contract',
              from: ['./src', './service', './server', './mocks', './e2e'],
              message: 'The contract imports nothing of ours.',
            },
            // The token rules run in the server and in the browser's mocks: they import the contract alone.
            { target: './service', from: ['./src', './server', './mocks', './e2e'], message: 'The service imports only ./contract.' },
            { target: './server', from: ['./src', './mocks'], message: 'The server shares only ./contract and ./service with the console.' },
            { target: './src', from: ['./server', './service'], message: 'The console shares only ./contract with the server.' },
          ],
        },
      ],
    },
  },
  {
    // Test-utils finders return null for what is absent; a test that asserts through one fails loudly anyway.
    files: ['**/*.test.{ts,tsx}', 'e2e/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    // Playwright fixtures take `use` and an empty pattern by design; they are not React hooks.
    files: ['e2e/**/*.ts'],
    rules: { 'react-hooks/rules-of-hooks': 'off', 'no-empty-pattern': 'off' },
  },
  {
    // Command-line scripts report on standard output.
    files: ['scripts/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['*.config.{js,ts}', 'playwright.config.ts'],
    rules: { 'import-x/no-default-export': 'off' },
  },
);
