import { altoProject } from '@alto/vitest-config';

// One agent worker per file and one conversation at a time: the 2-core CI box runs the
// framework's job process, Silero, alto and the server together.
export default altoProject({
  name: 'test-agent',
  globalSetup: ['@alto/harness/global-setup-livekit'],
  testTimeout: 180_000,
  test: { fileParallelism: false },
});
