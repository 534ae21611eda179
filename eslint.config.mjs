// Lint and format rules in the style of cdk8s-plus (projen's eslint setup): @stylistic formats,
// `npm run format` applies it, `npm test` checks it.
import stylistic from '@stylistic/eslint-plugin';
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['imports/**', 'dist/**', 'node_modules/**', '.cdk8s.out/**', 'reports/**', 'scripts/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  {
    files: ['**/*.ts'],
    languageOptions: { parser: tseslint.parser },
    plugins: { '@stylistic': stylistic, '@typescript-eslint': tseslint.plugin, 'import-x': importX },
    rules: {
      '@stylistic/indent': ['error', 2, { SwitchCase: 1 }],
      '@stylistic/quotes': ['error', 'single', { avoidEscape: true, allowTemplateLiterals: 'avoidEscape' }],
      '@stylistic/semi': ['error', 'always'],
      '@stylistic/comma-dangle': ['error', 'always-multiline'],
      '@stylistic/comma-spacing': 'error',
      '@stylistic/key-spacing': 'error',
      '@stylistic/keyword-spacing': 'error',
      '@stylistic/space-before-blocks': 'error',
      '@stylistic/brace-style': ['error', '1tbs', { allowSingleLine: true }],
      '@stylistic/no-trailing-spaces': 'error',
      '@stylistic/eol-last': 'error',
      '@stylistic/no-multiple-empty-lines': ['error', { max: 1 }],
      '@stylistic/quote-props': ['error', 'consistent-as-needed'],
      '@stylistic/member-delimiter-style': 'error',
      '@stylistic/max-len': ['error', {
        code: 150, ignoreUrls: true, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreComments: true, ignoreRegExpLiterals: true,
      }],
      'import-x/order': ['error', { 'groups': ['builtin', 'external'], 'alphabetize': { order: 'asc', caseInsensitive: true } }],
      'import-x/no-duplicates': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/no-shadow': 'error',
      'curly': ['error', 'multi-line', 'consistent'],
      'dot-notation': 'error',
      'no-bitwise': 'error',
      'no-return-await': 'error',
    },
  },
  {
    // The library, the charts and the commands are typed through and through; generated code is ignored above.
    files: ['lib/**/*.ts', 'model/**/*.ts', 'charts/**/*.ts', 'delivery/**/*.ts', 'cli/**/*.ts', 'bin/**/*.ts', '*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'error' },
  },
);
