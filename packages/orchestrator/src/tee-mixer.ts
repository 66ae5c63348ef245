import type { MixerMetrics, MixerSink, StreamOptions } from '@alto/mixer-core';

interface StreamSettings {
  volume: number;
  muted: boolean;
  label: string | undefined;
}

/**
 * A MixerSink that feeds a primary mixer (the speakers) and, while attached, a second one (a
 * recorder), so a recording holds exactly what is played. Remembers each stream's settings so a
 * recorder attached mid-call starts with the same streams, volumes and mutes.
 */
export class TeeMixer implements MixerSink {
  private readonly streams = new Map<string, StreamSettings>();
  private masterVolume = 1;
  private secondary: MixerSink | undefined;
  /** Sees every block of remote audio on its way in (spectrum views); keep it cheap. */
  tap: ((streamId: string, samples: Int16Array) => void) | undefined;

  constructor(private readonly primary: MixerSink) {}

  /** Starts copying everything to `mixer`, replaying the current streams and settings. */
  attach(mixer: MixerSink): void {
    mixer.setMasterVolume(this.masterVolume);
    for (const [id, s] of this.streams) {
      mixer.addStream(id, { volume: s.volume, muted: s.muted, ...(s.label === undefined ? {} : { label: s.label }) });
    }
    this.secondary = mixer;
  }

  /** Stops copying to the second mixer. */
  detach(): void {
    this.secondary = undefined;
  }

  addStream(id: string, options?: StreamOptions): void {
    const previous = this.streams.get(id);
    this.streams.set(id, {
      volume: options?.volume ?? previous?.volume ?? 1,
      muted: options?.muted ?? previous?.muted ?? false,
      label: options?.label ?? previous?.label,
    });
    this.primary.addStream(id, options);
    this.secondary?.addStream(id, options);
  }

  removeStream(id: string): void {
    this.streams.delete(id);
    this.primary.removeStream(id);
    this.secondary?.removeStream(id);
  }

  hasStream(id: string): boolean {
    return this.primary.hasStream(id);
  }

  addAudioData(id: string, samples: Int16Array): void {
    this.primary.addAudioData(id, samples);
    this.secondary?.addAudioData(id, samples);
    this.tap?.(id, samples);
  }

  setStreamVolume(id: string, volume: number): void {
    const s = this.streams.get(id);
    if (s) s.volume = volume;
    this.primary.setStreamVolume(id, volume);
    this.secondary?.setStreamVolume(id, volume);
  }

  setStreamMuted(id: string, muted: boolean): void {
    const s = this.streams.get(id);
    if (s) s.muted = muted;
    this.primary.setStreamMuted(id, muted);
    this.secondary?.setStreamMuted(id, muted);
  }

  setMasterVolume(volume: number): void {
    this.masterVolume = volume;
    this.primary.setMasterVolume(volume);
    this.secondary?.setMasterVolume(volume);
  }

  getMetrics(): MixerMetrics {
    return this.primary.getMetrics();
  }
}
