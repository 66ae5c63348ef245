/**
 * The device-path baseline: a plain PortAudio program (naudiodon2, as Alto's audio host uses it)
 * that reads the microphone and writes the speaker in 10 ms blocks, nothing in between.
 * argv: <input device name> <output device name> <output queue blocks>. Runs until killed.
 */
import { createRequire } from 'node:module';

interface Stream extends NodeJS.EventEmitter {
  start(): void;
  write(chunk: Buffer, cb?: (err?: unknown) => void): boolean;
}
interface Naudiodon {
  getDevices(): Array<{ id: number; name: string; maxInputChannels: number; maxOutputChannels: number }>;
  AudioIO(options: Record<string, unknown>): Stream;
}

// naudiodon2 is device-io's dependency; resolve it from there rather than pinning it twice.
const deviceIo = import.meta.resolve('@alto/device-io');
const pa = createRequire(deviceIo)('naudiodon2') as Naudiodon;
const [inName = 'vmic', outName = 'vspeaker', queueText = '2'] = process.argv.slice(2);
const devices = pa.getDevices();
const inDev = devices.find((d) => d.name === inName && d.maxInputChannels > 0);
const outDev = devices.find((d) => d.name === outName && d.maxOutputChannels > 0);
if (!inDev || !outDev) {
  process.stderr.write(`passthrough: devices ${inName}/${outName} not found\n`);
  process.exit(2);
}
const common = { channelCount: 1, sampleFormat: 16, sampleRate: 48_000, framesPerBuffer: 480, highwaterMark: 960, closeOnError: false };
const input = pa.AudioIO({ inOptions: { ...common, deviceId: inDev.id, maxQueue: 2 } });
const output = pa.AudioIO({ outOptions: { ...common, deviceId: outDev.id, maxQueue: Number(queueText) } });
// A plain program still has to bound what waits for the device: without this, the blocks that
// pile up while the output starts stay queued forever and the pass-through measures its backlog.
const MAX_BACKLOG_BYTES = 2 * 960;
input.on('data', (chunk: Buffer) => {
  if ((output as unknown as { writableLength: number }).writableLength <= MAX_BACKLOG_BYTES) output.write(chunk);
});
output.start();
input.start();
process.on('SIGTERM', () => process.exit(0));
