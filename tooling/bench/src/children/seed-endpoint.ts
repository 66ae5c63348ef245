/**
 * One participant of the Python Alto Terminal-settings run: an AltoClient with the real device host and real
 * PortAudio, configured like the Python original where Alto allows it (200 ms source queue,
 * 50 ms jitter target, 5-block output queue; blocks stay 10 ms).
 * argv: <json {url, apiKey, apiSecret, room, identity, input, output, env}>. Runs until SIGTERM.
 */
import { AltoClient, createDefaultComponents, shutdownNetworkRuntime } from '@alto/orchestrator';

interface Args {
  url: string;
  apiKey: string;
  apiSecret: string;
  room: string;
  identity: string;
  input: string | false;
  output: string | false;
  env: Record<string, string>;
}
const args = JSON.parse(process.argv[2] ?? '{}') as Args;
const components = createDefaultComponents({ sourceQueueMs: 200, targetLatencyMs: 50, outputQueue: 5, deviceEnv: args.env });
const client = new AltoClient(
  { url: args.url, apiKey: args.apiKey, apiSecret: args.apiSecret, room: args.room, identity: args.identity, input: args.input, output: args.output },
  components,
);
await client.connect();
process.stdout.write('connected\n');
process.on('SIGTERM', () => {
  void client
    .disconnect()
    .catch(() => {})
    .then(() => shutdownNetworkRuntime())
    .finally(() => process.exit(0));
});
