/**
 * The device-path baseline: a plain PortAudio program (naudiodon2, as Alto's audio host uses it)
 * that reads the microphone and writes the speaker in 10 ms blocks, nothing in between.
 * argv: <input device name> <output device name> <output queue blocks> [pump]. Runs until killed.
 *
 * `pump` drives the output the way Alto's audio host does instead: naudiodon opened with
 * `maxQueue: 1`, and the next 10 ms block written as soon as naudiodon accepted the previous one
 * (the device's pace), taken from the captured blocks waiting (see `CaptureFifo`). stdout then
 * carries `stats 0 <starved> <dropped> 0 <writes>` once a second, beside naudiodon's chatter.
 */
import { createRequire } from 'node:module';
import { CaptureFifo } from './capture-fifo.js';

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
const [inName = 'vmic', outName = 'vspeaker', queueText = '2', mode = ''] = process.argv.slice(2);
const devices = pa.getDevices();
const inDev = devices.find((d) => d.name === inName && d.maxInputChannels > 0);
const outDev = devices.find((d) => d.name === outName && d.maxOutputChannels > 0);
if (!inDev || !outDev) {
  process.stderr.write(`passthrough: devices ${inName}/${outName} not found\n`);
  process.exit(2);
}
const common = { channelCount: 1, sampleFormat: 16, sampleRate: 48_000, framesPerBuffer: 480, highwaterMark: 960, closeOnError: false };
const input = pa.AudioIO({ inOptions: { ...common, deviceId: inDev.id, maxQueue: 2 } });
if (mode === 'pump') {
  const output = pa.AudioIO({ outOptions: { ...common, deviceId: outDev.id, maxQueue: 1 } });
  const fifo = new CaptureFifo(960);
  let writes = 0;
  input.on('data', (chunk: Buffer) => fifo.push(chunk));
  const pump = (): void => {
    writes++;
    output.write(fifo.take(), () => pump());
  };
  pump();
  output.start();
  input.start();
  setInterval(() => process.stdout.write(`\nstats 0 ${fifo.starved} ${fifo.dropped} 0 ${writes}\n`), 1000);
} else {
  const output = pa.AudioIO({ outOptions: { ...common, deviceId: outDev.id, maxQueue: Number(queueText) } });
  // A plain program still has to bound what waits for the device: without this, the blocks that
  // pile up while the output starts stay queued forever and the pass-through measures its backlog.
  const MAX_BACKLOG_BYTES = 2 * 960;
  input.on('data', (chunk: Buffer) => {
    if ((output as unknown as { writableLength: number }).writableLength <= MAX_BACKLOG_BYTES) output.write(chunk);
  });
  output.start();
  input.start();
}
process.on('SIGTERM', () => process.exit(0));
