import { ensureLivekitServerBinary, startLivekitServer } from './livekit-server.js';

/**
 * `alto-harness install-livekit` builds the pinned server into the cache (used by CI);
 * `alto-harness livekit` runs one in the foreground and prints how to reach it.
 */
async function main(argv: readonly string[]): Promise<number> {
  const command = argv[0];
  if (command === 'install-livekit') {
    const bin = ensureLivekitServerBinary((line) => process.stderr.write(`${line}\n`));
    process.stdout.write(`${bin}\n`);
    return 0;
  }
  if (command === 'livekit') {
    const server = await startLivekitServer({ apiSecret: process.env['LIVEKIT_API_SECRET'] ?? 'alto-dev-secret-0123456789abcdef0123' });
    process.stdout.write(`LIVEKIT_URL=${server.url}\nLIVEKIT_API_KEY=${server.apiKey}\n`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await server.stop();
    return 0;
  }
  process.stderr.write('usage: alto-harness install-livekit | livekit\n');
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`alto-harness: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
