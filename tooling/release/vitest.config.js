import { altoProject } from '@alto/vitest-config';

// One file at a time: the files install tarballs with npm and build naudiodon2, which the
// 2-core CI box should not do twice at once.
export default altoProject({
  name: 'release',
  globalSetup: ['@alto/harness/global-setup-livekit', '@alto/harness/global-setup-pulse', './src/global-setup-pack.ts'],
  testTimeout: 180_000,
  test: { fileParallelism: false },
});
