import { closeSync, constants, fchmodSync, fstatSync, fsyncSync, linkSync, lstatSync, openSync, readSync, renameSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { DeviceOpenError, WavFormatError } from './errors.js';

/** A decoded PCM16 WAV file. */
export interface WavData {
  readonly sampleRate: number;
  readonly channels: number;
  /** Interleaved int16 samples. */
  readonly samples: Int16Array;
}

const WAV_HEADER_BYTES = 44;

/**
 * Parses a PCM16 WAV (RIFF/WAVE, mono or stereo). Throws {@link WavFormatError} for anything
 * else, saying what was found. `name` only labels the error messages.
 */
export function parseWav(bytes: Uint8Array, name = 'WAV data'): WavData {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (at: number): string => String.fromCharCode(bytes[at]!, bytes[at + 1]!, bytes[at + 2]!, bytes[at + 3]!);
  if (bytes.length < 12 || tag(0) !== 'RIFF' || tag(8) !== 'WAVE') {
    throw new WavFormatError(`${name} is not a WAV file (no RIFF/WAVE header); convert it to 16-bit PCM WAV`);
  }
  let pos = 12;
  let format: { audioFormat: number; channels: number; sampleRate: number; bits: number } | undefined;
  while (pos + 8 <= bytes.length) {
    const id = tag(pos);
    const size = view.getUint32(pos + 4, true);
    const body = pos + 8;
    if (id === 'fmt ') {
      if (body + 16 > bytes.length) throw new WavFormatError(`${name} is truncated inside its fmt chunk`);
      let audioFormat = view.getUint16(body, true);
      const bits = view.getUint16(body + 14, true);
      // WAVE_FORMAT_EXTENSIBLE carries the real format in its sub-format GUID.
      if (audioFormat === 0xfffe && size >= 40 && body + 26 <= bytes.length) audioFormat = view.getUint16(body + 24, true);
      format = { audioFormat, channels: view.getUint16(body + 2, true), sampleRate: view.getUint32(body + 4, true), bits };
    } else if (id === 'data') {
      if (!format) throw new WavFormatError(`${name} has its data chunk before the fmt chunk`);
      if (format.audioFormat !== 1 || format.bits !== 16) {
        throw new WavFormatError(
          `${name} is ${format.audioFormat === 3 ? 'float' : `format ${format.audioFormat}`} ${format.bits}-bit; only 16-bit PCM is supported (e.g. sox in.wav -b 16 -e signed out.wav)`,
        );
      }
      if (format.channels < 1 || format.channels > 2) {
        throw new WavFormatError(`${name} has ${format.channels} channels; only mono and stereo are supported`);
      }
      if (!(format.sampleRate > 0)) throw new WavFormatError(`${name} declares sample rate ${format.sampleRate}`);
      // A header written by a crashed recorder may say 0 or 0xffffffff: take what is there.
      const declared = size === 0 || size === 0xffffffff ? bytes.length - body : size;
      if (body + declared > bytes.length && size !== 0 && size !== 0xffffffff) {
        throw new WavFormatError(
          `${name} is truncated: its data chunk declares ${declared} bytes but only ${bytes.length - body} are present`,
        );
      }
      const usable = Math.min(declared, bytes.length - body);
      const frameBytes = 2 * format.channels;
      const count = Math.floor(usable / frameBytes) * format.channels;
      const samples = new Int16Array(count);
      for (let i = 0; i < count; i++) samples[i] = view.getInt16(body + i * 2, true);
      return { sampleRate: format.sampleRate, channels: format.channels, samples };
    }
    pos = body + size + (size & 1);
  }
  throw new WavFormatError(`${name} is truncated: no ${format ? 'data' : 'fmt'} chunk found`);
}

/** Builds a complete 44-byte PCM16 WAV header. */
export function wavHeader(sampleRate: number, channels: number, dataBytes: number): Buffer {
  const h = Buffer.alloc(WAV_HEADER_BYTES);
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(Math.min(0xffffffff, 36 + dataBytes), 4);
  h.write('WAVE', 8, 'ascii');
  h.write('fmt ', 12, 'ascii');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(channels, 22);
  h.writeUInt32LE(sampleRate, 24);
  h.writeUInt32LE(sampleRate * channels * 2, 28);
  h.writeUInt16LE(channels * 2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(Math.min(0xffffffff, dataBytes), 40);
  return h;
}

/** Encodes a whole WAV file in memory. */
export function encodeWav(data: WavData): Buffer {
  const pcm = Buffer.from(data.samples.buffer, data.samples.byteOffset, data.samples.byteLength);
  return Buffer.concat([wavHeader(data.sampleRate, data.channels, pcm.length), pcm]);
}

/** How {@link WavFileWriter} creates its file. */
export interface WavFileOptions {
  /** Permission bits of the file. Default 0o600: a recording of a call is private. */
  readonly mode?: number;
  /**
   * Never replace anything at `path`: refuse to start when it exists, and move the finished
   * file into place only if the name is still free. Default false (an existing file is replaced).
   */
  readonly exclusive?: boolean;
}

/** Default permission bits of recordings. */
export const DEFAULT_RECORDING_MODE = 0o600;

const CREATE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

function fileExists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Creates `partialPath` as a new regular file, never through a symlink: a name planted in a
 * shared directory is unlinked (unlink removes the link itself, never its target) and the file
 * is then created with O_EXCL | O_NOFOLLOW, so a link planted again in between fails the open.
 */
function createPartial(partialPath: string, mode: number): number {
  try {
    unlinkSync(partialPath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const fd = openSync(partialPath, CREATE_FLAGS, mode);
  // The umask may have narrowed the mode; a configured wider mode is applied as asked.
  fchmodSync(fd, mode);
  return fd;
}

/** Moves a finished `.partial` file to `path`; with `exclusive`, only if `path` is still free. */
function publish(partialPath: string, path: string, exclusive: boolean): void {
  if (!exclusive) {
    // rename replaces a symlink at `path` itself; it never writes through it.
    renameSync(partialPath, path);
    return;
  }
  try {
    linkSync(partialPath, path);
  } catch (error) {
    throw new DeviceOpenError(`${path} appeared while recording; the recording is kept as ${partialPath}`, { cause: error });
  }
  unlinkSync(partialPath);
}

/**
 * Streams PCM16 into a WAV file. It writes to `<path>.partial` and renames on {@link close},
 * after the header holds the final sizes, so a clean stop never leaves a half-written file at
 * `path`; after a crash the `.partial` file is still readable by {@link parseWav}. The file is
 * created new (never opened through a symlink) with mode 0600 unless `options.mode` says otherwise.
 */
export class WavFileWriter {
  private readonly fd: number;
  private readonly partialPath: string;
  private readonly exclusive: boolean;
  private dataBytes = 0;
  private closed = false;

  constructor(
    readonly path: string,
    readonly sampleRate: number,
    readonly channels: number,
    options: WavFileOptions = {},
  ) {
    this.partialPath = `${path}.partial`;
    this.exclusive = options.exclusive ?? false;
    if (this.exclusive && fileExists(path)) {
      throw new DeviceOpenError(`${path} already exists; choose another name or allow overwriting`);
    }
    this.fd = createPartial(this.partialPath, options.mode ?? DEFAULT_RECORDING_MODE);
    writeSync(this.fd, wavHeader(sampleRate, channels, 0xffffffff));
  }

  /** Bytes of PCM written so far. */
  get bytesWritten(): number {
    return this.dataBytes;
  }

  /** Appends interleaved int16 samples. */
  write(samples: Int16Array): void {
    if (this.closed) return;
    writeSync(this.fd, samples, 0, samples.byteLength);
    this.dataBytes += samples.byteLength;
  }

  /** Finalises the header and moves the file into place. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    writeSync(this.fd, wavHeader(this.sampleRate, this.channels, this.dataBytes), 0, WAV_HEADER_BYTES, 0);
    fsyncSync(this.fd);
    closeSync(this.fd);
    publish(this.partialPath, this.path, this.exclusive);
  }

  /** Closes without keeping the file. */
  discard(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
    rmSync(this.partialPath, { force: true });
  }
}

/**
 * Finishes a recording whose writer never closed (its process was killed): sets the header's
 * sizes from what reached the disk and moves `<path>.partial` to `path` (with `exclusive`, only
 * if `path` is free). Returns whether there was anything to recover. The audio that was written
 * is kept; a torn last sample is dropped. A `.partial` that is a symlink is left alone.
 */
export function recoverPartialWav(path: string, exclusive = false): boolean {
  const partialPath = `${path}.partial`;
  let fd: number;
  try {
    fd = openSync(partialPath, constants.O_RDWR | constants.O_NOFOLLOW);
  } catch {
    return false;
  }
  try {
    if (!fstatSync(fd).isFile()) return false;
    const header = Buffer.alloc(WAV_HEADER_BYTES);
    if (readSync(fd, header, 0, WAV_HEADER_BYTES, 0) < WAV_HEADER_BYTES) return false;
    const channels = header.readUInt16LE(22);
    const sampleRate = header.readUInt32LE(24);
    const blockAlign = header.readUInt16LE(32) || channels * 2;
    const payload = fstatSync(fd).size - WAV_HEADER_BYTES;
    const dataBytes = payload - (payload % blockAlign);
    writeSync(fd, wavHeader(sampleRate, channels, dataBytes), 0, WAV_HEADER_BYTES, 0);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  publish(partialPath, path, exclusive);
  return true;
}
