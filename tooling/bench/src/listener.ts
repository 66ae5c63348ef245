import { AltoClient, createDefaultComponents } from '@alto/orchestrator';
import { connectWithRetry } from './connect.js';
import { childPids } from './probe.js';

/** A listen-only client with the production topology (mixer + null sink in the device host). */
export interface Listener {
  readonly client: AltoClient;
  /** The device host process(es) this client started. */
  readonly hostPids: readonly number[];
}

/** Connects a listen-only AltoClient playing to the `null` sink through a real device host. */
export async function startListener(server: { url: string; apiKey: string; apiSecret: string }, room: string): Promise<Listener> {
  const before = new Set(childPids(process.pid));
  const client = new AltoClient(
    { url: server.url, apiKey: server.apiKey, apiSecret: server.apiSecret, room, identity: 'listener', input: false, output: 'null' },
    createDefaultComponents(),
  );
  await connectWithRetry(client);
  return { client, hostPids: childPids(process.pid).filter((p) => !before.has(p)) };
}

/** Audible-gap counters of a client: device underruns, mix reads with no audio, stream underruns. */
export interface Gaps {
  readonly device: number;
  readonly mix: number;
  readonly streams: number;
}

/** Reads the gap counters from a client's metrics. */
export function gaps(client: AltoClient): Gaps {
  const m = client.getMetrics();
  return {
    device: m.output?.underruns ?? 0,
    mix: m.mixer?.underruns ?? 0,
    streams: (m.mixer?.streams ?? []).reduce((s, x) => s + x.underruns, 0),
  };
}

/** Difference of two gap readings. */
export function gapDelta(a: Gaps, b: Gaps): Gaps {
  return { device: b.device - a.device, mix: b.mix - a.mix, streams: b.streams - a.streams };
}
