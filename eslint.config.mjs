// ESLint flat config: typescript-eslint's recommended type-aware-free rules
// for every TypeScript file; formatting is Prettier's job (npm run format:check).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'bench/results/**', '.data/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      // Unused names are a compile error already (tsconfig noUnused*); `_x` marks a deliberate one.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      // Tests and GraphQL results use `any` for response bodies on purpose.
      '@typescript-eslint/no-explicit-any': 'off',
      // type-graphql resolvers and TypeORM entities are classes of decorated members.
      '@typescript-eslint/no-extraneous-class': 'off',
      // TypeORM migrations and class-validator need Function types.
      '@typescript-eslint/no-unsafe-function-type': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { module: 'writable', require: 'readonly', process: 'readonly', console: 'readonly', __dirname: 'readonly' } },
  },
);
