import { EncryptionType, type E2EEOptions, type Room } from '@livekit/rtc-node';
import type { Logger } from '@alto/mixer-core';
import { E2EE_FAILURE_TOLERANCE, E2eeMonitor, type E2eeState, type E2eeStateEvent, type E2eeStatus } from './e2ee-status.js';

/**
 * The room's encryption options for a shared key. A failure tolerance makes the native layer
 * report a key that does not decrypt (the SDK's default never does); no ratchet window, since a
 * shared key is never ratcheted and each failing frame would otherwise cost 16 key derivations.
 */
export function sharedKeyEncryption(sharedKey: string | Uint8Array): E2EEOptions {
  const key = typeof sharedKey === 'string' ? new TextEncoder().encode(sharedKey) : sharedKey;
  return { keyProviderOptions: { sharedKey: key, failureTolerance: E2EE_FAILURE_TOLERANCE, ratchetWindowSize: 0 } };
}

/**
 * A session's end-to-end encryption: the native states of its current room (with a key) and the
 * participants whose track encryption does not match its own (with or without one).
 */
export class SessionEncryption {
  readonly #enabled: boolean;
  readonly #logger: Logger;
  readonly #emit: (event: E2eeStateEvent) => void;
  #monitor: E2eeMonitor | undefined;
  /** Participants whose track's encryption does not match ours (`needs-key`, `not-encrypted`). */
  readonly #mismatch = new Map<string, E2eeState>();

  constructor(enabled: boolean, logger: Logger, emit: (event: E2eeStateEvent) => void) {
    this.#enabled = enabled;
    this.#logger = logger;
    this.#emit = emit;
  }

  /** Follows a room being joined (call right after `room.connect()`); `current` says it is still ours. */
  watch(room: Room, current: () => boolean): void {
    this.stop();
    if (!this.#enabled) return;
    const monitor = new E2eeMonitor(room, (event) => {
      if (!current()) return;
      if (event.state !== 'ok') this.#logger.warn('end-to-end encryption problem', { participant: event.participantIdentity, state: event.state });
      this.#emit(event);
    });
    if (!monitor.available) this.#logger.warn('this SDK version does not report encryption states; a wrong key will not be detected');
    this.#monitor = monitor;
  }

  /** Applies what the native layer reported while the room was connecting. */
  settle(): void {
    this.#monitor?.settle();
  }

  /**
   * Compares a subscribed track's encryption with ours. Without a key, an encrypted track decodes
   * to loud noise (measured), so it is reported as `needs-key`; with a key, a track in the clear
   * is reported as `not-encrypted` (it plays, and its sender cannot hear us).
   * @returns false when the track must not be played
   */
  checkTrack(type: EncryptionType | undefined, identity: string): boolean {
    if (type === undefined) return true;
    const encrypted = type !== EncryptionType.NONE;
    const state: E2eeState | undefined = encrypted && !this.#enabled ? 'needs-key' : !encrypted && this.#enabled ? 'not-encrypted' : undefined;
    if (state === undefined) {
      this.#mismatch.delete(identity);
      return true;
    }
    if (this.#mismatch.get(identity) !== state) {
      this.#mismatch.set(identity, state);
      this.#logger.warn('end-to-end encryption mismatch', { participant: identity, state });
      this.#emit({ participantIdentity: identity, local: false, state });
    }
    return state !== 'needs-key';
  }

  /** Drops what is known about a participant who left. */
  forget(identity: string): void {
    this.#monitor?.forget(identity);
    this.#mismatch.delete(identity);
  }

  /** Stops following the room (left or lost); its states are dropped. */
  stop(): void {
    this.#monitor?.stop();
    this.#monitor = undefined;
    this.#mismatch.clear();
  }

  /** What is known now. */
  status(): E2eeStatus {
    const native = this.#monitor?.snapshot() ?? { local: undefined, participants: {} };
    return { enabled: this.#enabled, local: native.local, participants: { ...native.participants, ...Object.fromEntries(this.#mismatch) } };
  }
}
