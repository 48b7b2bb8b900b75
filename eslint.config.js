// @ts-check
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import layering from './.eslint/layering.js';

/** Import boundaries between the processes (DESIGN §2), as errors. */
const layer = (patterns, message) => ({
  '@typescript-eslint/no-restricted-imports': ['error', { patterns: [{ group: patterns, message }] }],
});
const NODE_ONLY = ['node:*', 'fs', 'path', 'os', 'child_process', 'worker_threads', 'better-sqlite3', 'electron', 'ws', 'tar', 'croner'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '.bench-data/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.js', '*.ts', 'renderer/vite.config.ts', 'preload/vite.config.ts', 'test/e2e/playwright.config.ts'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true, allowNullish: true }],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: layer(
      [...NODE_ONLY, 'react', 'react-dom', '**/main/**', '**/renderer/**', '**/preload/**'],
      'shared/ is pure: it imports nothing Node-only, DOM-only, or from main/, preload/ or renderer/.',
    ),
  },
  {
    files: ['renderer/src/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: [...NODE_ONLY, '**/main/**'], message: 'renderer/ imports only shared/ (and the preload bridge type).' },
            { group: ['**/preload/**'], message: 'renderer/ may only import the bridge type from preload/.', allowTypeImports: true },
          ],
        },
      ],
    },
  },
  {
    files: ['preload/**/*.ts'],
    ignores: ['preload/vite.config.ts'],
    rules: layer(
      ['node:*', 'fs', 'path', 'better-sqlite3', '**/main/**', '**/renderer/**'],
      'preload/ imports only shared/ and Electron renderer APIs.',
    ),
  },
  {
    files: ['main/**/*.ts'],
    languageOptions: { globals: globals.node },
    plugins: { layering },
    rules: { ...layer(['**/renderer/**', '**/preload/**'], 'main/ never imports renderer/ or preload/.'), 'layering/rooms': 'error' },
  },
  // The lint rules of this project (plain JavaScript, outside every tsconfig).
  { files: ['.eslint/**/*.{js,ts}'], ...tseslint.configs.disableTypeChecked },
  { files: ['.eslint/**/*.js'], languageOptions: { globals: globals.node } },
  {
    files: ['test/**/*.ts', '*.config.ts', '*.config.js', '*/vite.config.ts'],
    languageOptions: { globals: globals.node },
    rules: { '@typescript-eslint/no-unsafe-assignment': 'off', '@typescript-eslint/no-unsafe-member-access': 'off' },
  },
);
