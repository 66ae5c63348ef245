/**
 * Binary framing for audio (and ordered mixer commands) crossing the pipe between the parent and
 * the audio host. Each frame: an 8-byte header then the payload, padded to an even length so
 * that int16 payloads stay 2-byte aligned inside the decoder's buffer.
 *
 * Header (little endian): u8 kind, u8 reserved, u16 streamIndex, u32 payloadBytes (unpadded).
 */

/** Size of the frame header in bytes. */
export const FRAME_HEADER_BYTES = 8;

/** What a frame carries. */
export const FrameKind = {
  /** Interleaved int16 samples. */
  Audio: 0,
  /** UTF-8 JSON command that must stay ordered with the audio (e.g. addStream). */
  Command: 1,
} as const;

/** One of {@link FrameKind}'s values. */
export type FrameKindValue = (typeof FrameKind)[keyof typeof FrameKind];

/** Encodes one int16 audio frame into a fresh Buffer (the socket keeps it until written). */
export function encodeAudioFrame(streamIndex: number, samples: Int16Array): Buffer {
  const payloadBytes = samples.length * 2;
  const out = Buffer.allocUnsafe(FRAME_HEADER_BYTES + payloadBytes);
  out.writeUInt8(FrameKind.Audio, 0);
  out.writeUInt8(0, 1);
  out.writeUInt16LE(streamIndex, 2);
  out.writeUInt32LE(payloadBytes, 4);
  Buffer.from(samples.buffer, samples.byteOffset, payloadBytes).copy(out, FRAME_HEADER_BYTES);
  return out;
}

/** Encodes a JSON command frame. */
export function encodeCommandFrame(value: unknown): Buffer {
  const json = Buffer.from(JSON.stringify(value), 'utf8');
  const padded = json.length + (json.length & 1);
  const out = Buffer.alloc(FRAME_HEADER_BYTES + padded);
  out.writeUInt8(FrameKind.Command, 0);
  out.writeUInt16LE(0, 2);
  out.writeUInt32LE(json.length, 4);
  json.copy(out, FRAME_HEADER_BYTES);
  return out;
}

/** Receives decoded frames. Views are valid only during the call: copy what you keep. */
export interface FrameHandler {
  audio(streamIndex: number, samples: Int16Array): void;
  command(value: unknown): void;
}

/** Thrown when the byte stream cannot be frames (a corrupt or foreign writer). */
export class FramingError extends Error {
  override readonly name = 'FramingError';
}

/**
 * Incremental decoder: accepts arbitrary chunks (partial headers, partial payloads, several
 * frames per chunk) and calls the handler once per complete frame. It owns one growable buffer
 * that starts at offset 0, so int16 views into it are aligned; nothing allocates in steady state.
 */
export class FrameDecoder {
  private buf: Uint8Array;
  private view: DataView;
  private length = 0;

  constructor(
    private readonly handler: FrameHandler,
    initialBytes = 64 * 1024,
    private readonly maxPayloadBytes = 16 * 1024 * 1024,
  ) {
    this.buf = new Uint8Array(initialBytes);
    this.view = new DataView(this.buf.buffer);
  }

  /** Bytes received but not yet part of a complete frame. */
  get pendingBytes(): number {
    return this.length;
  }

  /** Feeds bytes from the pipe. */
  push(chunk: Uint8Array): void {
    this.ensure(this.length + chunk.length);
    this.buf.set(chunk, this.length);
    this.length += chunk.length;
    let pos = 0;
    while (this.length - pos >= FRAME_HEADER_BYTES) {
      const kind = this.view.getUint8(pos);
      const streamIndex = this.view.getUint16(pos + 2, true);
      const payloadBytes = this.view.getUint32(pos + 4, true);
      if (payloadBytes > this.maxPayloadBytes || (kind !== FrameKind.Audio && kind !== FrameKind.Command)) {
        throw new FramingError(`corrupt frame header (kind ${kind}, ${payloadBytes} bytes)`);
      }
      const padded = payloadBytes + (payloadBytes & 1);
      if (this.length - pos < FRAME_HEADER_BYTES + padded) break;
      const start = pos + FRAME_HEADER_BYTES;
      if (kind === FrameKind.Audio) {
        this.handler.audio(streamIndex, new Int16Array(this.buf.buffer, start, payloadBytes >> 1));
      } else {
        const text = Buffer.from(this.buf.buffer, start, payloadBytes).toString('utf8');
        this.handler.command(JSON.parse(text));
      }
      pos = start + padded;
    }
    if (pos > 0) {
      this.buf.copyWithin(0, pos, this.length);
      this.length -= pos;
    }
  }

  private ensure(bytes: number): void {
    if (bytes <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < bytes) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }
}
