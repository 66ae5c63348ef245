import type { TestProject } from 'vitest/node';
import { startLivekitServer } from './livekit-server.js';
import type {} from './provided-context.js';

/** vitest globalSetup: one real livekit-server for the whole test run of a project. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startLivekitServer();
  project.provide('livekit', { url: server.url, apiKey: server.apiKey, apiSecret: server.apiSecret });
  return () => server.stop();
}
