import { altoProject } from '@alto/vitest-config';

export default altoProject({
  name: 'harness',
  globalSetup: ['./src/global-setup-livekit.ts', './src/global-setup-pulse.ts'],
});
