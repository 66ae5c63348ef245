import { altoProject } from '@alto/vitest-config';

// Files run one at a time: they kill servers, freeze processes and spawn many clients, and the
// 2-core CI box must not see two of them fight over the CPU.
export default altoProject({
  name: 'reliability',
  globalSetup: ['@alto/harness/global-setup-livekit', './src/global-tally.ts'],
  testTimeout: 120_000,
  test: { fileParallelism: false },
});
