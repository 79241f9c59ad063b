// @ts-check
const tseslint = require('typescript-eslint');
const jest = require('eslint-plugin-jest');
const prettier = require('eslint-config-prettier');

module.exports = tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'cdk.out/', 'coverage/', '**/*.js', '**/*.cjs', '!console/assets/*.js'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'error',
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    plugins: { jest },
    rules: {
      'no-console': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      // A focused or skipped test silently shrinks the suite CI runs.
      'jest/no-focused-tests': 'error',
      'jest/no-disabled-tests': 'error',
    },
  },
  {
    // The web console's browser script: plain ES2017, no build step, only the browser globals it uses.
    files: ['console/assets/*.js'],
    languageOptions: {
      sourceType: 'script',
      globals: {
        window: 'readonly',
        document: 'readonly',
        location: 'readonly',
        EventSource: 'readonly',
        fetch: 'readonly',
        setInterval: 'readonly',
      },
    },
    rules: { 'no-undef': 'error', 'no-var': 'off' },
  },
  // Formatting belongs to Prettier (`npm run lint` checks it); no style rule may fight it.
  prettier,
);
