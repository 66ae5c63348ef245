/**
 * The far-end reference for echo cancellation: remote audio summed per 10 ms as it enters the
 * mixer. The mix itself is made in the device host process, out of reach of the parent's
 * per-frame path, so we rebuild it here from the same blocks the mixer receives. Each stream
 * writes at its own cursor into a shared ring; the microphone clock reads one 10 ms frame per
 * microphone frame, so reverse and forward frames stay interleaved one to one, which the
 * echo canceller expects. The delay from "entered the mixer" to "reached the microphone" is the
 * stream delay given to the canceller.
 */
export class FarEndAccumulator {
  readonly #ring: Float32Array;
  readonly #capacity: number;
  readonly #cursors = new Map<string, number>();
  #read = 0;
  #framesRead = 0;
  /** Samples dropped because a stream ran more than the ring ahead of the microphone clock. */
  overflows = 0;

  /** `capacitySamples`: how far (all channels) a stream may run ahead of the reader. */
  constructor(capacitySamples: number) {
    this.#capacity = capacitySamples;
    this.#ring = new Float32Array(capacitySamples);
  }

  /** Adds one block of stream `id` (interleaved int16) at that stream's cursor. */
  add(id: string, samples: Int16Array): void {
    let w = this.#cursors.get(id) ?? this.#read;
    // A stream that fell behind (gap, underrun) restarts at the reader: late audio is played late too.
    if (w < this.#read) w = this.#read;
    if (w + samples.length > this.#read + this.#capacity) {
      this.overflows += samples.length;
      return;
    }
    const ring = this.#ring;
    const cap = this.#capacity;
    for (let i = 0; i < samples.length; i++) {
      const at = (w + i) % cap;
      ring[at] = (ring[at] ?? 0) + (samples[i] ?? 0) / 32768;
    }
    this.#cursors.set(id, w + samples.length);
  }

  /** Forgets a stream's cursor (its track ended). */
  remove(id: string): void {
    this.#cursors.delete(id);
  }

  /** Takes the next `out.length` summed samples into `out` (int16, clipped); silence where nobody spoke. */
  readInto(out: Int16Array): void {
    const ring = this.#ring;
    const cap = this.#capacity;
    const start = this.#read;
    for (let i = 0; i < out.length; i++) {
      const at = (start + i) % cap;
      const v = Math.round((ring[at] ?? 0) * 32768);
      ring[at] = 0;
      out[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
    }
    this.#read = start + out.length;
    // Cursors of streams that ended without a remove() would otherwise stay forever.
    if (++this.#framesRead % 500 === 0) {
      for (const [id, w] of this.#cursors) if (w < this.#read - cap) this.#cursors.delete(id);
    }
  }
}
