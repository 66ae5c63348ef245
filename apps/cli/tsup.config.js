import { altoAppBundle } from '@alto/bundle-config';

export default altoAppBundle({ appUrl: import.meta.url, entry: { main: 'src/main.ts' } });
