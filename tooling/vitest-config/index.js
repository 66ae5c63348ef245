// Shared vitest preset: resolves workspace packages to their TypeScript sources through the
// `@alto/source` export condition, so tests need no build.
import { defineProject } from 'vitest/config';

const conditions = ['@alto/source', 'module', 'node', 'development|production'];

/**
 * Builds a vitest project config for one workspace member.
 * @param {object} options
 * @param {string} options.name project name shown by vitest
 * @param {string[]} [options.globalSetup] modules run once per test run (e.g. the real-parts harness)
 * @param {number} [options.testTimeout] per-test timeout in ms
 * @param {object} [options.test] extra vitest `test` options
 */
export function altoProject({ name, globalSetup = [], testTimeout = 20_000, test = {} }) {
  return defineProject({
    resolve: { conditions },
    ssr: { resolve: { conditions, externalConditions: conditions } },
    test: {
      name,
      environment: 'node',
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      globalSetup,
      testTimeout,
      hookTimeout: Math.max(testTimeout, 60_000),
      ...test,
    },
  });
}
