import type { AltoClient } from '@alto/orchestrator';
import { sleep } from './report.js';

/**
 * Connects, retrying a few times: on a loaded shared box the first signalling handshake can
 * exceed livekit-net's connect timeout. A client that failed cleans up and can connect again.
 */
export async function connectWithRetry(client: AltoClient, attempts = 4): Promise<void> {
  for (let i = 1; ; i++) {
    try {
      await client.connect();
      return;
    } catch (error) {
      if (i >= attempts) throw error;
      await sleep(1000 * i);
    }
  }
}
