import { altoProject } from '@alto/vitest-config';

export default altoProject({ name: 'bench' });
