import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*', 'tooling/harness', 'tooling/demo', 'tooling/reliability', 'tooling/bench', 'tooling/release', 'tooling/test-agent'],
    reporters: ['default'],
  },
});
