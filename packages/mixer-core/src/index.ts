/** Public API of @alto/mixer-core (filled in by its issue). */
export const PACKAGE_NAME = '@alto/mixer-core';
