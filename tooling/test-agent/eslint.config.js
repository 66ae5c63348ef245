import { altoEslint } from '@alto/eslint-config';

export default altoEslint();
