// A consumer of the published @alto/livekit-net (with @alto/mixer-core), in plain JavaScript:
// a talker sends 2 s of a 440 Hz tone, a listener in the same room mixes what it receives.
import { AudioMixer } from '@alto/mixer-core';
import { LiveKitSession, configureSdkLogging, shutdownLiveKit } from '@alto/livekit-net';

const { LIVEKIT_URL: url, LIVEKIT_API_KEY: apiKey, LIVEKIT_API_SECRET: apiSecret, ROOM: room } = process.env;
const target = (identity) => ({ url, apiKey, apiSecret, room, identity });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
configureSdkLogging();

const heard = new AudioMixer({ sampleRate: 48_000, channels: 1 });
const listener = new LiveKitSession({ mixer: heard, microphone: false });
const joined = [];
listener.on('participantJoined', (p) => joined.push(p.identity));
await listener.connect(target('listener'));

const talker = new LiveKitSession({ mixer: new AudioMixer() });
await talker.connect(target('talker'));
for (let frame = 0; frame < 200; frame++) {
  const samples = Int16Array.from({ length: 480 }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * 440 * (frame * 480 + i)) / 48_000)));
  talker.captureFrame(samples);
  await sleep(10);
}
const received = new Int16Array(4800);
heard.readInto(received); // the latest 100 ms the listener buffered
const metrics = listener.getMetrics();

await talker.disconnect();
await listener.disconnect();
await shutdownLiveKit(3000);
process.stdout.write(JSON.stringify({ joined, state: metrics.state, participants: metrics.participants.length, received: Array.from(received) }));
process.exit(0);
