import { altoProject } from '@alto/vitest-config';

export default altoProject({ name: 'daemon', globalSetup: ['@alto/harness/global-setup-livekit'] });
