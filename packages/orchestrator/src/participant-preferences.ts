import { MAX_VOLUME, MIN_VOLUME } from '@alto/mixer-core';
import { OrchestratorError } from './errors.js';

/** How many participants' preferences are kept; the least recently set are forgotten first. */
export const MAX_REMEMBERED_PARTICIPANTS = 1000;

/** What a listener chose for one remote participant. */
export interface ParticipantPreference {
  /** Playback volume 0..2. */
  readonly volume?: number;
  /** Muted locally (not played). */
  readonly muted?: boolean;
}

/**
 * Per-participant playback preferences (volume, local mute) by identity, remembered for people
 * not in the room yet and applied when their audio arrives. An {@link AltoClient} keeps its own;
 * pass one object as `AltoClientOptions.preferences` to several clients in turn (a supervisor
 * that replaces its client after a lost connection) and the choices survive the replacement.
 * Bounded: a stream of made-up identities cannot grow it beyond
 * {@link MAX_REMEMBERED_PARTICIPANTS}.
 */
export class ParticipantPreferences {
  readonly #byIdentity = new Map<string, ParticipantPreference>();

  /** The preference for `identity`, if one was set. */
  get(identity: string): ParticipantPreference | undefined {
    return this.#byIdentity.get(identity);
  }

  /** Remembers a playback volume (0..2) for `identity`. */
  setVolume(identity: string, volume: number): void {
    assertVolume(volume);
    this.#set(identity, { ...this.#byIdentity.get(identity), volume });
  }

  /** Remembers whether `identity` is muted locally. */
  setMuted(identity: string, muted: boolean): void {
    this.#set(identity, { ...this.#byIdentity.get(identity), muted });
  }

  /** Every remembered preference, least recently set first. */
  entries(): IterableIterator<[string, ParticipantPreference]> {
    return this.#byIdentity.entries();
  }

  #set(identity: string, preference: ParticipantPreference): void {
    this.#byIdentity.delete(identity);
    this.#byIdentity.set(identity, preference);
    if (this.#byIdentity.size > MAX_REMEMBERED_PARTICIPANTS) {
      const oldest = this.#byIdentity.keys().next();
      if (oldest.done !== true) this.#byIdentity.delete(oldest.value);
    }
  }
}

/** Throws INVALID_OPTIONS unless `volume` is a number from 0 to 2. */
export function assertVolume(volume: number): void {
  if (!Number.isFinite(volume) || volume < MIN_VOLUME || volume > MAX_VOLUME) {
    throw new OrchestratorError('INVALID_OPTIONS', `volume must be between ${MIN_VOLUME} and ${MAX_VOLUME}, got ${volume}`);
  }
}
