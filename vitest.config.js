import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*', 'tooling/harness', 'tooling/reliability'],
    reporters: ['default'],
  },
});
