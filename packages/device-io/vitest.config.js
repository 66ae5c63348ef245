import { altoProject } from '@alto/vitest-config';

export default altoProject({ name: 'device-io', globalSetup: ['@alto/harness/global-setup-pulse'], testTimeout: 60_000 });
