/**
 * Child process hosting talking bots: each is an AltoClient publishing a tone from an in-process
 * PacedInput, with no device host and a token that cannot subscribe (bots never decode each other,
 * so N bots cost O(N), not O(N²), and the listener's numbers stay its own).
 * argv[2]: JSON {url, apiKey, apiSecret, room, count, prefix, baseHz}. IPC: sends {ready, connected}; 'stop' ends it.
 */
import { mintToken } from '@alto/livekit-net';
import { AltoClient, createDefaultComponents, shutdownNetworkRuntime, type ComponentFactory } from '@alto/orchestrator';
import { connectWithRetry } from './connect.js';
import { DiscardOutput, PacedInput, toneGenerator } from './components.js';

interface BotConfig {
  readonly url: string;
  readonly apiKey: string;
  readonly apiSecret: string;
  readonly room: string;
  readonly count: number;
  readonly prefix: string;
  readonly baseHz: number;
}

const cfg = JSON.parse(process.argv[2] ?? '{}') as BotConfig;
const real = createDefaultComponents();
const clients: AltoClient[] = [];

async function startBot(i: number): Promise<void> {
  const identity = `${cfg.prefix}${i}`;
  const token = await mintToken({ apiKey: cfg.apiKey, apiSecret: cfg.apiSecret, room: cfg.room, identity, canSubscribe: false });
  const factory: ComponentFactory = {
    ...real,
    openOutput: () => Promise.resolve(new DiscardOutput()),
    openInput: () => Promise.resolve(new PacedInput(480, 10, toneGenerator(cfg.baseHz + 13 * i))),
  };
  const client = new AltoClient({ url: cfg.url, token, identity, input: 'tone', output: false }, factory);
  clients.push(client);
  await connectWithRetry(client);
}

let connected = 0;
for (let i = 0; i < cfg.count; i += 5) {
  const batch = [];
  for (let j = i; j < Math.min(cfg.count, i + 5); j++) batch.push(startBot(j).then(() => connected++));
  await Promise.allSettled(batch);
}
process.send?.({ type: 'ready', connected });

process.on('message', (m) => {
  if (m !== 'stop') return;
  void (async () => {
    await Promise.allSettled(clients.map((c) => c.disconnect()));
    await shutdownNetworkRuntime().catch(() => {});
    process.exit(0);
  })();
});
