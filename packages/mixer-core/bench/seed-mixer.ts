// The Python Alto Terminal's AudioMixer, transliterated from the Python for the benchmark: add_audio_data
// concatenates onto a per-stream buffer (np.concatenate), get_audio_data mixes only as many
// samples as every non-empty stream has, averages them, applies master volume, clips, and keeps
// the rest (buffer[min_size:], a copy). Allocates on every call, as numpy does.

/** Seed-style mixer (baseline only; do not use). */
export class SeedMixer {
  private readonly buffers = new Map<string, Int16Array>();
  private readonly volumes = new Map<string, number>();
  private output = new Int16Array(0);

  constructor(private readonly masterVolume = 1) {}

  addStream(id: string, volume = 1): void {
    this.buffers.set(id, new Int16Array(0));
    this.volumes.set(id, volume);
  }

  addAudioData(id: string, data: Int16Array): void {
    const buf = this.buffers.get(id);
    if (!buf) return;
    const combined = new Int16Array(buf.length + data.length);
    combined.set(buf);
    combined.set(data, buf.length);
    this.buffers.set(id, combined);
  }

  getAudioData(samples: number): Int16Array {
    if (this.output.length < samples) this.mixStreams();
    const out = new Int16Array(samples); // zero padded on underrun
    const n = Math.min(samples, this.output.length);
    out.set(this.output.subarray(0, n));
    this.output = this.output.slice(n);
    return out;
  }

  private mixStreams(): void {
    let minSize = Infinity;
    for (const buf of this.buffers.values())
      if (buf.length > 0 && buf.length < minSize) minSize = buf.length;
    if (minSize === Infinity) return;
    const mixed = new Float32Array(minSize);
    let active = 0;
    for (const [id, buf] of this.buffers) {
      if (buf.length >= minSize) {
        const vol = this.volumes.get(id) ?? 1;
        for (let i = 0; i < minSize; i++) mixed[i] = mixed[i]! + buf[i]! * vol;
        this.buffers.set(id, buf.slice(minSize));
        active++;
      }
    }
    const out = new Int16Array(minSize);
    const scale = this.masterVolume / active;
    for (let i = 0; i < minSize; i++) {
      const v = mixed[i]! * scale;
      out[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
    }
    const combined = new Int16Array(this.output.length + minSize);
    combined.set(this.output);
    combined.set(out, this.output.length);
    this.output = combined;
  }
}
