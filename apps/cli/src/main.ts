/** Entry point of the cli app (filled in by its issue). */
export const APP_NAME = '@alto/cli';
