import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import globals from 'globals'

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'tmp/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: globals.node },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }
      ],
      'no-console': ['error', { allow: ['error'] }]
    }
  },
  {
    // The CLI, emulator, benchmarks and scripts write to the terminal on purpose.
    files: ['src/cli/**', 'src/emulator/cli.ts', 'bench/**', 'scripts/**'],
    rules: { 'no-console': 'off' }
  }
)
