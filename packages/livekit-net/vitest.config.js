import { altoProject } from '@alto/vitest-config';

export default altoProject({ name: 'livekit-net', globalSetup: ['@alto/harness/global-setup-livekit'] });
