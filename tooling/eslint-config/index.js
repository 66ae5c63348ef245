// Shared flat config: typescript-eslint's type-checked rules, plus the few we rely on for
// correctness in async audio code (floating promises, exhaustive switches).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** @param {{ allowConsole?: boolean }} [options] */
export function altoEslint({ allowConsole = false } = {}) {
  return tseslint.config(
    { ignores: ['dist/**', 'node_modules/**', 'bench/results/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
    js.configs.recommended,
    ...tseslint.configs.recommendedTypeChecked,
    {
      languageOptions: { parserOptions: { projectService: true } },
      rules: {
        '@typescript-eslint/consistent-type-imports': 'error',
        '@typescript-eslint/no-floating-promises': 'error',
        '@typescript-eslint/switch-exhaustiveness-check': 'error',
        '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
        'no-console': allowConsole ? 'off' : 'error',
      },
    },
    {
      files: ['**/*.test.ts', 'test/**/*.ts', 'bench/**/*.ts'],
      rules: {
        'no-console': 'off',
        '@typescript-eslint/no-non-null-assertion': 'off',
        '@typescript-eslint/unbound-method': 'off',
        '@typescript-eslint/require-await': 'off',
      },
    },
  );
}
