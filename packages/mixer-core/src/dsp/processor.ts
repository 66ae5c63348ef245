/**
 * An insert effect on 10 ms interleaved blocks: the extension point for per-participant and
 * master inserts and for microphone processing (`alto --plugin <module>`). The radio filter and
 * the voice processing (echo cancellation etc.) are processors on this interface.
 *
 * `process` runs on the audio path: work in place, allocate nothing, never throw for audio
 * content. Float blocks are in -1..1; int16 blocks in full int16 range.
 */
export interface AudioProcessorPlugin {
  /** Short name for logs and metrics. */
  readonly name: string;
  /** Processes one interleaved block in place. */
  process(block: Float32Array | Int16Array, channels: number, sampleRate: number): void;
  /** Releases resources (native handles, files); called once when the insert is removed. */
  dispose?(): void;
}

/** What a plugin factory is told about the stream it will process. */
export interface AudioProcessorContext {
  readonly sampleRate: number;
  readonly channels: 1 | 2;
  /** Where the insert sits: the microphone, one participant, or the master mix. */
  readonly position: 'microphone' | 'participant' | 'master';
}

/**
 * What a plugin module's default export must be: a function that builds a processor (sync or
 * async) for a given stream.
 */
export type AudioProcessorPluginFactory = (
  context: AudioProcessorContext,
) => AudioProcessorPlugin | Promise<AudioProcessorPlugin>;

/** True if `value` has the shape of an {@link AudioProcessorPlugin}. */
export function isAudioProcessorPlugin(value: unknown): value is AudioProcessorPlugin {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { name?: unknown; process?: unknown; dispose?: unknown };
  return (
    typeof v.name === 'string' &&
    typeof v.process === 'function' &&
    (v.dispose === undefined || typeof v.dispose === 'function')
  );
}

/** Runs processors in order on each block; itself a processor. */
export class ProcessorChain implements AudioProcessorPlugin {
  readonly name = 'chain';
  readonly #processors: AudioProcessorPlugin[];

  constructor(processors: readonly AudioProcessorPlugin[] = []) {
    this.#processors = [...processors];
  }

  /** The processors, in the order they run. */
  get processors(): readonly AudioProcessorPlugin[] {
    return this.#processors;
  }

  /** Appends a processor at the end of the chain. */
  add(processor: AudioProcessorPlugin): void {
    this.#processors.push(processor);
  }

  process(block: Float32Array | Int16Array, channels: number, sampleRate: number): void {
    const list = this.#processors;
    for (let i = 0; i < list.length; i++) list[i]?.process(block, channels, sampleRate);
  }

  /** Disposes every processor; one that throws does not stop the others. */
  dispose(): void {
    for (const p of this.#processors.splice(0)) {
      try {
        p.dispose?.();
      } catch {
        // A plugin's cleanup failure must not keep the others alive.
      }
    }
  }
}
