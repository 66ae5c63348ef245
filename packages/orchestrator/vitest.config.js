import { altoProject } from '@alto/vitest-config';

export default altoProject({ name: 'orchestrator', globalSetup: ['@alto/harness/global-setup-livekit', '@alto/harness/global-setup-pulse'] });
