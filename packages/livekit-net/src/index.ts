/** Public API of @alto/livekit-net (filled in by its issue). */
export const PACKAGE_NAME = '@alto/livekit-net';
