import { InvalidOptionError, InvalidRingLayoutError } from './errors.js';

/** Sample format of an {@link SpscRing}. */
export type RingFormat = 'float32' | 'int16';

/** Options of {@link SpscRing.create}. */
export interface SpscRingOptions<F extends RingFormat = RingFormat> {
  /** Frames the ring can hold (one extra slot is reserved internally). */
  readonly capacityFrames: number;
  /** Interleaved channels per frame. Default 1. */
  readonly channels?: number;
  /** Default 'float32'. */
  readonly format?: F;
}

/** Typed array of a ring format. */
export type RingSamples<F extends RingFormat> = F extends 'int16' ? Int16Array : Float32Array;

/**
 * Layout of the SharedArrayBuffer, in Int32 header slots. Documented because a worker that does
 * not load this package may implement the other side with plain Atomics:
 * `[magic, capacityFrames, channels, format(0=f32,1=s16), readFrame, writeFrame, overruns,
 * overrunFrames, underruns, underrunFrames, 0, 0]`, then `(capacityFrames + 1) * channels`
 * samples. Indices count frames modulo `capacityFrames + 1`; read == write means empty.
 */
export const RING_HEADER = {
  MAGIC: 0,
  CAPACITY: 1,
  CHANNELS: 2,
  FORMAT: 3,
  READ: 4,
  WRITE: 5,
  OVERRUNS: 6,
  OVERRUN_FRAMES: 7,
  UNDERRUNS: 8,
  UNDERRUN_FRAMES: 9,
} as const;
/** Value of header slot 0 in a ring created by this package ('SPSR'). */
export const RING_MAGIC = 0x53505352;
const HEADER_INTS = 12;
const HEADER_BYTES = HEADER_INTS * 4;

/**
 * Wait-free single-producer single-consumer ring of interleaved audio frames on a
 * SharedArrayBuffer. The producer only stores the write index and the consumer only stores the
 * read index (`Atomics.load`/`Atomics.store`, no locks, no CAS); one slot stays empty so full
 * and empty are distinguishable. It never grows: a write that does not fit drops the frames
 * that do not fit and counts an overrun; a read that finds too little fills the rest with
 * silence and counts an underrun. Hand `buffer` to a worker and `new SpscRing(buffer)` there.
 */
export class SpscRing<F extends RingFormat = RingFormat> {
  /** The shared memory; post it to another thread to attach. */
  readonly buffer: SharedArrayBuffer;
  readonly capacityFrames: number;
  readonly channels: number;
  readonly format: F;
  private readonly header: Int32Array;
  private readonly data: RingSamples<F>;
  private readonly slots: number;

  /** Bytes of shared memory a ring of this shape needs. */
  static byteLength(capacityFrames: number, channels = 1, format: RingFormat = 'float32'): number {
    const bytesPerSample = format === 'int16' ? 2 : 4;
    return HEADER_BYTES + (capacityFrames + 1) * channels * bytesPerSample;
  }

  /** Allocates a new ring in fresh shared memory. */
  static create<F extends RingFormat = 'float32'>(options: SpscRingOptions<F>): SpscRing<F> {
    const capacity = options.capacityFrames;
    const channels = options.channels ?? 1;
    const format = options.format ?? 'float32';
    if (!Number.isInteger(capacity) || capacity < 1 || capacity > 1 << 26) {
      throw new InvalidOptionError(
        `SpscRing capacityFrames must be an integer from 1 to ${1 << 26}, got ${capacity}`,
      );
    }
    if (!Number.isInteger(channels) || channels < 1 || channels > 32) {
      throw new InvalidOptionError(
        `SpscRing channels must be an integer from 1 to 32, got ${channels}`,
      );
    }
    if (format !== 'float32' && format !== 'int16') {
      throw new InvalidOptionError(
        `SpscRing format must be 'float32' or 'int16', got ${String(format)}`,
      );
    }
    const sab = new SharedArrayBuffer(SpscRing.byteLength(capacity, channels, format));
    const h = new Int32Array(sab, 0, HEADER_INTS);
    h[RING_HEADER.CAPACITY] = capacity;
    h[RING_HEADER.CHANNELS] = channels;
    h[RING_HEADER.FORMAT] = format === 'int16' ? 1 : 0;
    // Publishing the magic last means an attacher never sees a half-written header.
    Atomics.store(h, RING_HEADER.MAGIC, RING_MAGIC);
    return new SpscRing<F>(sab);
  }

  /**
   * Attaches to a ring created by {@link SpscRing.create} (possibly in another thread).
   * @throws {InvalidRingLayoutError} if `buffer` does not hold such a ring
   */
  constructor(buffer: SharedArrayBuffer) {
    if (!(buffer instanceof SharedArrayBuffer) || buffer.byteLength < HEADER_BYTES) {
      throw new InvalidRingLayoutError(
        'SpscRing needs the SharedArrayBuffer of a ring made by SpscRing.create(); pass ring.buffer',
      );
    }
    const h = new Int32Array(buffer, 0, HEADER_INTS);
    if (Atomics.load(h, RING_HEADER.MAGIC) !== RING_MAGIC) {
      throw new InvalidRingLayoutError(
        'SharedArrayBuffer has no SpscRing header; create the ring with SpscRing.create() and share ring.buffer',
      );
    }
    const capacity = h[RING_HEADER.CAPACITY]!;
    const channels = h[RING_HEADER.CHANNELS]!;
    const format = (h[RING_HEADER.FORMAT] === 1 ? 'int16' : 'float32') as F;
    if (buffer.byteLength < SpscRing.byteLength(capacity, channels, format)) {
      throw new InvalidRingLayoutError(
        `SharedArrayBuffer of ${buffer.byteLength} bytes is too small for its ring header; share the whole ring.buffer`,
      );
    }
    this.buffer = buffer;
    this.header = h;
    this.capacityFrames = capacity;
    this.channels = channels;
    this.format = format;
    this.slots = capacity + 1;
    const len = this.slots * channels;
    this.data = (
      format === 'int16'
        ? new Int16Array(buffer, HEADER_BYTES, len)
        : new Float32Array(buffer, HEADER_BYTES, len)
    ) as RingSamples<F>;
  }

  /** Frames ready to read (consumer side; a snapshot). */
  availableRead(): number {
    const r = Atomics.load(this.header, RING_HEADER.READ);
    const w = Atomics.load(this.header, RING_HEADER.WRITE);
    return w >= r ? w - r : w - r + this.slots;
  }

  /** Frames that can be written without an overrun (producer side; a snapshot). */
  availableWrite(): number {
    return this.capacityFrames - this.availableRead();
  }

  /**
   * Producer: appends up to `frames` frames from `src` (interleaved). Frames that do not fit are
   * dropped and counted as one overrun.
   * @returns frames written
   */
  write(src: RingSamples<F>, frames: number = (src.length / this.channels) | 0): number {
    const h = this.header;
    const ch = this.channels;
    const slots = this.slots;
    const r = Atomics.load(h, RING_HEADER.READ);
    const w = Atomics.load(h, RING_HEADER.WRITE);
    const used = w >= r ? w - r : w - r + slots;
    const free = slots - 1 - used;
    const fit = (src.length / ch) | 0;
    const want = frames < fit ? frames : fit;
    const n = want < free ? want : free;
    const data = this.data;
    const first = n < slots - w ? n : slots - w;
    let d = w * ch;
    let s = 0;
    const end1 = first * ch;
    for (; s < end1; s++, d++) data[d] = src[s]!;
    const end2 = n * ch;
    for (d = 0; s < end2; s++, d++) data[d] = src[s]!;
    Atomics.store(h, RING_HEADER.WRITE, (w + n) % slots);
    if (n < want) {
      Atomics.store(h, RING_HEADER.OVERRUNS, Atomics.load(h, RING_HEADER.OVERRUNS) + 1);
      Atomics.store(
        h,
        RING_HEADER.OVERRUN_FRAMES,
        Atomics.load(h, RING_HEADER.OVERRUN_FRAMES) + want - n,
      );
    }
    return n;
  }

  /**
   * Consumer: fills `frames` frames of `dst` (interleaved). What the ring lacks is filled with
   * silence and counted as one underrun.
   * @returns frames of real audio read
   */
  read(dst: RingSamples<F>, frames: number = (dst.length / this.channels) | 0): number {
    const h = this.header;
    const ch = this.channels;
    const slots = this.slots;
    const w = Atomics.load(h, RING_HEADER.WRITE);
    const r = Atomics.load(h, RING_HEADER.READ);
    const used = w >= r ? w - r : w - r + slots;
    const fit = (dst.length / ch) | 0;
    const want = frames < fit ? frames : fit;
    const n = want < used ? want : used;
    const data = this.data;
    const first = n < slots - r ? n : slots - r;
    let s = r * ch;
    let d = 0;
    const end1 = first * ch;
    for (; d < end1; s++, d++) dst[d] = data[s]!;
    const end2 = n * ch;
    for (s = 0; d < end2; s++, d++) dst[d] = data[s]!;
    Atomics.store(h, RING_HEADER.READ, (r + n) % slots);
    if (n < want) {
      const end3 = want * ch;
      for (; d < end3; d++) dst[d] = 0;
      Atomics.store(h, RING_HEADER.UNDERRUNS, Atomics.load(h, RING_HEADER.UNDERRUNS) + 1);
      Atomics.store(
        h,
        RING_HEADER.UNDERRUN_FRAMES,
        Atomics.load(h, RING_HEADER.UNDERRUN_FRAMES) + want - n,
      );
    }
    return n;
  }

  /** Writes that dropped frames because the ring was full. */
  get overruns(): number {
    return Atomics.load(this.header, RING_HEADER.OVERRUNS);
  }
  /** Frames dropped by overruns. */
  get overrunFrames(): number {
    return Atomics.load(this.header, RING_HEADER.OVERRUN_FRAMES);
  }
  /** Reads that had to be padded with silence. */
  get underruns(): number {
    return Atomics.load(this.header, RING_HEADER.UNDERRUNS);
  }
  /** Frames of silence padded by underruns. */
  get underrunFrames(): number {
    return Atomics.load(this.header, RING_HEADER.UNDERRUN_FRAMES);
  }
}
