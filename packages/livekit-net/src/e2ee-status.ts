import { EncryptionState, type Room } from '@livekit/rtc-node';

/**
 * One participant's end-to-end encryption. From the native frame cryptor: `ok` (our own audio is
 * encrypted, or theirs decrypts), `decryption-failed` (their frames do not decrypt with our key:
 * a different key), `missing-key`, `encryption-failed` (our own audio), `internal-error`. From
 * their track's publication: `needs-key` (they encrypt and this session has no key: their audio
 * would decode to noise, so it is not played) and `not-encrypted` (this session encrypts, they
 * send in the clear: they are heard, and they cannot hear us).
 */
export type E2eeState = 'ok' | 'decryption-failed' | 'missing-key' | 'encryption-failed' | 'internal-error' | 'needs-key' | 'not-encrypted';

/** End-to-end encryption as a session sees it. */
export interface E2eeStatus {
  /** Whether this session encrypts (it was given a shared key). */
  readonly enabled: boolean;
  /** Our own microphone's encryption, once the native layer reported it. */
  readonly local: E2eeState | undefined;
  /** Each remote participant whose audio was reported on: whether it decrypts. */
  readonly participants: Readonly<Record<string, E2eeState>>;
}

/** A change of one participant's encryption state. */
export interface E2eeStateEvent {
  readonly participantIdentity: string;
  /** True for our own microphone. */
  readonly local: boolean;
  readonly state: E2eeState;
}

/**
 * How many frames in a row may fail to decrypt before the native layer reports
 * DECRYPTION_FAILED. The SDK's default (-1) never reports it: a wrong key is silent. Ten frames
 * are 100–200 ms of audio, far more than a healthy stream ever loses to decryption.
 */
export const E2EE_FAILURE_TOLERANCE = 10;

const STATES: Partial<Record<EncryptionState, E2eeState>> = {
  [EncryptionState.OK]: 'ok',
  [EncryptionState.KEY_RATCHETED]: 'ok',
  [EncryptionState.ENCRYPTION_FAILED]: 'encryption-failed',
  [EncryptionState.DECRYPTION_FAILED]: 'decryption-failed',
  [EncryptionState.MISSING_KEY]: 'missing-key',
  [EncryptionState.INTERNAL_ERROR]: 'internal-error',
};

/** The part of an FFI event this module reads (the SDK's protobuf `FfiEvent`). */
interface FfiEventShape {
  readonly message?: {
    readonly case?: string;
    readonly value?: {
      readonly roomHandle?: unknown;
      readonly message?: { readonly case?: string; readonly value?: { readonly participantIdentity?: string; readonly state?: number } };
    };
  };
}

interface FfiEventSource {
  on(event: 'ffi_event', listener: (event: FfiEventShape) => void): unknown;
  off(event: 'ffi_event', listener: (event: FfiEventShape) => void): unknown;
}

/**
 * The SDK's process-wide FFI event emitter. `Room` drops every `e2eeStateChanged` event except
 * INTERNAL_ERROR (rtc-node 1.1.0), so the per-participant states are read where the native layer
 * delivers them. Undefined when the SDK no longer offers it: states are then never reported.
 */
function ffiEventSource(): FfiEventSource | undefined {
  const client = (globalThis as { _ffiClientInstance?: Partial<FfiEventSource> })._ffiClientInstance;
  return typeof client?.on === 'function' && typeof client.off === 'function' ? (client as FfiEventSource) : undefined;
}

function roomHandleOf(room: Room): bigint | undefined {
  const handle = (room as unknown as { ffiHandle?: { handle?: unknown } }).ffiHandle?.handle;
  return typeof handle === 'bigint' ? handle : undefined;
}

/** Events held until the room's handle is known (they arrive while it connects). */
const MAX_EARLY_EVENTS = 256;

/**
 * Follows the native layer's encryption state of every participant of one room. Create it right
 * after `room.connect()` was called (the FFI client exists from then on); {@link stop} it when
 * the room is left.
 */
export class E2eeMonitor {
  readonly #room: Room;
  readonly #onChange: (event: E2eeStateEvent) => void;
  readonly #source: FfiEventSource | undefined;
  readonly #states = new Map<string, E2eeState>();
  #local: E2eeState | undefined;
  #early: { handle: unknown; identity: string; state: number }[] = [];

  constructor(room: Room, onChange: (event: E2eeStateEvent) => void) {
    this.#room = room;
    this.#onChange = onChange;
    this.#source = ffiEventSource();
    this.#source?.on('ffi_event', this.#listener);
  }

  /** False when the SDK offers no way to read encryption states. */
  get available(): boolean {
    return this.#source !== undefined;
  }

  readonly #listener = (event: FfiEventShape): void => {
    const room = event.message?.case === 'roomEvent' ? event.message.value : undefined;
    const e2ee = room?.message?.case === 'e2eeStateChanged' ? room.message.value : undefined;
    if (!room || !e2ee || e2ee.participantIdentity === undefined || e2ee.state === undefined) return;
    const own = roomHandleOf(this.#room);
    if (own === undefined) {
      if (this.#early.length < MAX_EARLY_EVENTS) this.#early.push({ handle: room.roomHandle, identity: e2ee.participantIdentity, state: e2ee.state });
      return;
    }
    this.#flushEarly(own);
    if (room.roomHandle === own) this.#apply(e2ee.participantIdentity, e2ee.state);
  };

  /** Applies the events that arrived before the room knew its handle; call once connected. */
  settle(): void {
    const own = roomHandleOf(this.#room);
    if (own !== undefined) this.#flushEarly(own);
  }

  #flushEarly(own: bigint): void {
    const early = this.#early;
    if (early.length === 0) return;
    this.#early = [];
    for (const e of early) if (e.handle === own) this.#apply(e.identity, e.state);
  }

  #apply(identity: string, raw: number): void {
    const state = STATES[raw as EncryptionState];
    if (state === undefined) return;
    const local = identity === this.#room.localParticipant?.identity;
    if (local) {
      if (this.#local === state) return;
      this.#local = state;
    } else {
      if (this.#states.get(identity) === state) return;
      this.#states.set(identity, state);
    }
    this.#onChange({ participantIdentity: identity, local, state });
  }

  /** Drops what is known about a participant who left. */
  forget(identity: string): void {
    this.#states.delete(identity);
  }

  /** The states reported so far. */
  snapshot(): Omit<E2eeStatus, 'enabled'> {
    return { local: this.#local, participants: Object.fromEntries(this.#states) };
  }

  /** Stops listening. */
  stop(): void {
    this.#source?.off('ffi_event', this.#listener);
    this.#early = [];
  }
}
