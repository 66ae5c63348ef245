/**
 * A callback-driven pass-through through a real Node binding: audify (RtAudio 6). One duplex
 * stream on RtAudio's ALSA API, 10 ms blocks, 48 kHz mono s16. RtAudio's callback hands each
 * captured block to JS; JS writes it into audify's native output queue, which the next output
 * callback pulls from without waiting (silence when empty). JS keeps at most <depth> blocks
 * queued and drops the newest beyond that.
 *
 * `pump` mode is how Alto's audio host would drive such a layer: the output is primed with
 * <depth> blocks, and each time the output callback has taken a block (audify's frame-output
 * callback, on the JS thread) JS writes one more, taken from the captured blocks waiting (see
 * `CaptureFifo`), so <depth> blocks stay ahead of the device and every block is produced on
 * demand, as a mix would be.
 * argv: <audify package dir> <depth blocks> [queue|pump]. The ALSA `default` PCM must be the
 * virtual devices (capture `vmic`, playback `vspeaker`): RtAudio's ALSA API lists only
 * `default`, `pulse` and hardware cards. stdout: `stats <underflows> <starved> <dropped>
 * <overflows> <callbacks>` once a second. Runs until killed.
 */
import { createRequire } from 'node:module';
import { CaptureFifo } from './capture-fifo.js';

interface RtAudioDevice {
  readonly id: number;
  readonly name: string;
  readonly inputChannels: number;
  readonly outputChannels: number;
}
interface StreamParameters {
  deviceId: number;
  nChannels: number;
  firstChannel: number;
}
interface RtAudio {
  streamTime: number;
  getDevices(): RtAudioDevice[];
  getApi(): string;
  getStreamLatency(): number;
  openStream(
    output: StreamParameters | null,
    input: StreamParameters | null,
    format: number,
    sampleRate: number,
    frameSize: number,
    streamName: string,
    onInput: ((pcm: Buffer) => void) | null,
    onFrameOutput: (() => void) | null,
    flags?: number,
    onError?: ((type: number, message: string) => void) | null,
  ): number;
  start(): void;
  write(pcm: Buffer): void;
}
interface Audify {
  RtAudio: new (api?: number) => RtAudio;
}

/** RtAudioApi.LINUX_ALSA, RtAudioFormat.RTAUDIO_SINT16. */
const LINUX_ALSA = 2;
const SINT16 = 0x2;
const FRAMES = 480;

const [audifyDir, depthText = '1', mode = 'queue'] = process.argv.slice(2);
if (!audifyDir || (mode !== 'queue' && mode !== 'pump')) {
  process.stderr.write('audify-passthrough: usage: <audify dir> <depth> [queue|pump]\n');
  process.exit(2);
}
const depth = Number(depthText);
const { RtAudio: RtAudioClass } = createRequire(import.meta.url)(audifyDir) as Audify;
const rt = new RtAudioClass(LINUX_ALSA);
const device = rt
  .getDevices()
  .find(
    (d) => d.name.toLowerCase().includes('default') && d.inputChannels > 0 && d.outputChannels > 0,
  );
if (!device) {
  process.stderr.write(
    `audify-passthrough: no duplex ALSA default device in ${JSON.stringify(rt.getDevices().map((d) => d.name))}\n`,
  );
  process.exit(2);
}
let written = 0;
let consumed = 0;
let dropped = 0;
let underflows = 0;
let overflows = 0;
const fifo = new CaptureFifo(FRAMES * 2);
const params = { deviceId: device.id, nChannels: 1, firstChannel: 0 };
const onQueueInput = (pcm: Buffer): void => {
  if (written - consumed >= depth) {
    dropped++;
    return;
  }
  rt.write(pcm);
  written++;
};
const onPumpInput = (pcm: Buffer): void => fifo.push(pcm);
const onPumpOutput = (): void => {
  consumed++;
  rt.write(fifo.take());
};
rt.openStream(
  params,
  params,
  SINT16,
  48_000,
  FRAMES,
  'alto-bench',
  mode === 'pump' ? onPumpInput : onQueueInput,
  mode === 'pump' ? onPumpOutput : () => consumed++,
  0,
  (_type, message) => {
    if (/underrun/i.test(message)) underflows++;
    else if (/overrun/i.test(message)) overflows++;
    else process.stderr.write(`audify-passthrough: ${message}\n`);
  },
);
if (mode === 'pump') for (let i = 0; i < depth; i++) rt.write(Buffer.alloc(FRAMES * 2));
rt.start();
process.stderr.write(
  `audify-passthrough: ${rt.getApi()} device ${device.name}, depth ${depth}, stream latency ${((rt.getStreamLatency() / 48_000) * 1000).toFixed(1)} ms\n`,
);
setInterval(() => {
  // Output callbacks that found the queue empty: callbacks so far less blocks consumed. In pump
  // mode, blocks written as silence because no captured block was waiting count too.
  const callbacks = Math.floor((rt.streamTime * 48_000) / FRAMES);
  process.stdout.write(
    `stats ${underflows} ${Math.max(0, callbacks - consumed) + fifo.starved} ${dropped + fifo.dropped} ${overflows} ${callbacks}\n`,
  );
}, 1000);
process.on('SIGTERM', () => process.exit(0));
