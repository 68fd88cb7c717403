// @ts-check
import tseslint from 'typescript-eslint';

const nodeBuiltins = [
  'fs',
  'path',
  'os',
  'crypto',
  'http',
  'https',
  'net',
  'child_process',
  'url',
  'util',
  'stream',
  'events',
  'timers',
  'worker_threads',
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'bench/results/**', 'test/replay/histories/**'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
    },
  },
  {
    // The SDK's default gRPC retry interceptor throws "Channel has been shut down" from a timer
    // when a retry outlives Connection.close(): an uncaught exception (client/grpc-retry.ts).
    // Every grpc-js connection is made by connectCloseSafe/lazyCloseSafe there, so none gets
    // that default; a TestWorkflowEnvironment (which builds its own) takes the plugin.
    files: ['**/*.ts'],
    ignores: ['client/grpc-retry.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "CallExpression[callee.object.name='Connection'][callee.property.name=/^(connect|lazy)$/]",
          message: 'use connectCloseSafe / lazyCloseSafe (client/grpc-retry.ts)',
        },
        {
          selector:
            "CallExpression[callee.object.name='TestWorkflowEnvironment'][callee.property.name=/^create/]:not(:has(Property[key.name='plugins']))",
          message: 'pass plugins: [closeSafeRetryPlugin] (client/grpc-retry.ts)',
        },
      ],
    },
  },
  {
    // Workflow code runs in Temporal's deterministic sandbox: no Node built-ins, no I/O packages.
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...nodeBuiltins
              .flatMap((m) => [m, `node:${m}`])
              .map((name) => ({ name, message: 'Node built-ins are not allowed in workflow code' })),
            { name: '@temporalio/client', message: 'workflow code may not use the client' },
            { name: '@temporalio/worker', message: 'workflow code may not use the worker' },
            { name: '@temporalio/activity', message: 'workflow code may not use the activity context' },
            { name: 'undici', message: 'no I/O in workflow code' },
          ],
          patterns: [
            {
              group: ['../activities', '../activities/*', '../agora', '../agora/*'],
              allowTypeImports: true,
              message: 'import activities/agora with `import type` only',
            },
          ],
        },
      ],
    },
  },
  { files: ['**/*.mjs'], ...tseslint.configs.disableTypeChecked },
);
