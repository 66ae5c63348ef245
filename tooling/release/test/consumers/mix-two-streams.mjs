// A consumer of the published @alto/mixer-core, in plain JavaScript: two people talking at once,
// one of them turned down, mixed into one block.
import { AudioMixer } from '@alto/mixer-core';

const sampleRate = 48_000;
const tone = (hz, frames) => Int16Array.from({ length: frames }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * hz * i) / sampleRate)));

const mixer = new AudioMixer({ sampleRate, channels: 1, targetLatencyMs: 20 });
mixer.addStream('alice');
mixer.addStream('bob', { volume: 0.5 });
mixer.addAudioData('alice', tone(440, 4800)); // 100 ms each
mixer.addAudioData('bob', tone(1000, 4800));

const mix = new Int16Array(4800);
for (let at = 0; at < mix.length; at += 480) mixer.readInto(mix.subarray(at, at + 480)); // 10 ms blocks
process.stdout.write(JSON.stringify({ mix: Array.from(mix.subarray(960)), streams: mixer.getMetrics().streams.length }));
