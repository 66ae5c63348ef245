import { EventEmitter } from 'node:events';
import { EncryptionState, type Room } from '@livekit/rtc-node';
import { afterEach, describe, expect, it } from 'vitest';
import { E2eeMonitor, type E2eeStateEvent } from './e2ee-status.js';

type Global = { _ffiClientInstance?: unknown };
const saved = (globalThis as Global)._ffiClientInstance;
afterEach(() => {
  (globalThis as Global)._ffiClientInstance = saved;
});

/** The SDK's FFI event emitter and a room, as far as the monitor reads them. */
function setup() {
  const ffi = new EventEmitter();
  (globalThis as Global)._ffiClientInstance = ffi;
  const room = { ffiHandle: undefined as { handle: bigint } | undefined, localParticipant: undefined as { identity: string } | undefined };
  const events: E2eeStateEvent[] = [];
  const monitor = new E2eeMonitor(room as unknown as Room, (e) => events.push(e));
  const send = (roomHandle: bigint, participantIdentity: string, state: EncryptionState): void => {
    ffi.emit('ffi_event', { message: { case: 'roomEvent', value: { roomHandle, message: { case: 'e2eeStateChanged', value: { participantIdentity, state } } } } });
  };
  const connect = (): void => {
    room.ffiHandle = { handle: 7n };
    room.localParticipant = { identity: 'me' };
  };
  return { ffi, monitor, events, send, connect };
}

describe('E2eeMonitor', () => {
  it('reports each participant of its own room once per change, ours apart, and ignores other rooms', () => {
    const { monitor, events, send, connect } = setup();
    connect();
    send(7n, 'me', EncryptionState.OK);
    send(7n, 'bob', EncryptionState.DECRYPTION_FAILED);
    send(7n, 'bob', EncryptionState.DECRYPTION_FAILED);
    send(8n, 'carol', EncryptionState.DECRYPTION_FAILED);
    send(7n, 'dan', EncryptionState.NEW);
    expect(events).toEqual([
      { participantIdentity: 'me', local: true, state: 'ok' },
      { participantIdentity: 'bob', local: false, state: 'decryption-failed' },
    ]);
    send(7n, 'bob', EncryptionState.OK);
    expect(monitor.snapshot()).toEqual({ local: 'ok', participants: { bob: 'ok' } });
    monitor.forget('bob');
    expect(monitor.snapshot().participants).toEqual({});
  });

  it('keeps what arrives before the room knows its handle and applies it once connected', () => {
    const { monitor, events, send, connect } = setup();
    send(7n, 'bob', EncryptionState.MISSING_KEY);
    send(9n, 'eve', EncryptionState.DECRYPTION_FAILED);
    expect(events).toEqual([]);
    connect();
    monitor.settle();
    expect(events).toEqual([{ participantIdentity: 'bob', local: false, state: 'missing-key' }]);
  });

  it('stops listening when stopped, and says when the SDK offers no event stream', () => {
    const { ffi, monitor } = setup();
    expect(monitor.available).toBe(true);
    monitor.stop();
    expect(ffi.listenerCount('ffi_event')).toBe(0);
    (globalThis as Global)._ffiClientInstance = undefined;
    expect(new E2eeMonitor({} as Room, () => {}).available).toBe(false);
  });
});
