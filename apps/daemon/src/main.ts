/** Entry point of the daemon app (filled in by its issue). */
export const APP_NAME = '@alto/daemon';
