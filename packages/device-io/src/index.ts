/** Public API of @alto/device-io (filled in by its issue). */
export const PACKAGE_NAME = '@alto/device-io';
