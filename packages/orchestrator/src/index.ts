/** Public API of @alto/orchestrator (filled in by its issue). */
export const PACKAGE_NAME = '@alto/orchestrator';
