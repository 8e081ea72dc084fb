// ESLint flat config: type-aware typescript-eslint rules over the sources, tests, scripts and benchmarks.
// Formatting is Prettier's job (eslint-config-prettier turns off every rule that would fight it); the one
// layout rule kept is a line-length ceiling above Prettier's printWidth, for what Prettier does not wrap
// (long strings, regular expressions, comments).
import js from '@eslint/js';
import stylistic from '@stylistic/eslint-plugin';
import prettier from 'eslint-config-prettier';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Plain JavaScript: build scripts and benchmarks. */
const JS = ['scripts/**/*.mjs', 'bench/**/*.mjs', 'bench/**/*.cjs', 'web/**/*.{js,mjs}'];
const TS = ['fn/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts', 'web/**/*.{ts,tsx}'];
/**
 * The JavaScript files that tsconfig.json's program does not reach, typed with its options as a default
 * project. The others (scripts/reference.mjs, bench/generate.mjs) are imported by tests, so the program
 * already holds them, and typescript-eslint refuses a file in both. ESLint names a file missing from
 * either side as a parsing error.
 */
const DEFAULT_PROJECT = ['scripts/build.mjs', 'scripts/build-web.mjs', 'bench/run.mjs', 'bench/check-output.mjs', 'bench/*.cjs'];

export default defineConfig(
  {
    ignores: ['dist/', 'fixtures/', 'examples/', 'node_modules/', 'fn/config/generated/', 'coverage/'],
  },
  {
    files: [...TS, ...JS],
    extends: [js.configs.recommended, tseslint.configs.recommendedTypeChecked, tseslint.configs.stylisticTypeChecked],
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: DEFAULT_PROJECT, defaultProject: 'tsconfig.json' },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  {
    // Tests, benchmarks and build scripts take apart the function's output, parsed YAML and JSON, which is
    // untyped by nature (and the JavaScript is untyped throughout): typing every access there would be a
    // rewrite that buys no safety, since each expectation checks the shape anyway. The function's own code
    // under fn/ keeps these rules.
    files: ['test/**', 'bench/**', 'scripts/**', 'web/**'].map((dir) => `${dir}/*.{ts,tsx,js,mjs,cjs}`),
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: JS,
    languageOptions: { globals: globals.node },
  },
  {
    // CommonJS on purpose (the benchmark preloads and runs them with plain node): require is how they import.
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  prettier,
  {
    // No line of 140 characters or more: Prettier wraps code at 120 but leaves long strings, regular
    // expressions and comments alone.
    files: [...TS, ...JS],
    plugins: { '@stylistic': stylistic },
    rules: {
      '@stylistic/max-len': ['error', { code: 139, tabWidth: 2 }],
    },
  },
);
