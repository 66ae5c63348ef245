import {
  RoomEvent,
  type ConnectionQuality,
  type DataPacketKind,
  type DisconnectReason,
  type RemoteParticipant,
  type RemoteTrack,
  type RemoteTrackPublication,
  type Room,
} from '@livekit/rtc-node';
import type { ParticipantInfo, TrackMuteEvent, TranscriptionEvent } from './session-types.js';
import type { TextStreamGuard } from './text-streams.js';

/** Topic on which LiveKit agents publish transcriptions as text streams. */
export const TRANSCRIPTION_TOPIC = 'lk.transcription';

/** What the session does with each room event. Every handler runs only for the current room. */
export interface RoomHandlers {
  /** False once the session moved on from this room (a stale room's events are ignored). */
  current(): boolean;
  onTrackSubscribed(track: RemoteTrack, publication: RemoteTrackPublication, participant: RemoteParticipant): void;
  onTrackGone(trackSid: string): void;
  onParticipantJoined(participant: ParticipantInfo): void;
  onParticipantLeft(participant: ParticipantInfo): void;
  onMuted(event: TrackMuteEvent, muted: boolean): void;
  onActiveSpeakers(identities: string[]): void;
  onQuality(participantIdentity: string, quality: ConnectionQuality): void;
  onData(payload: Uint8Array, participantIdentity: string | undefined, kind: DataPacketKind | undefined, topic: string | undefined): void;
  onTranscription(event: TranscriptionEvent): void;
  onSdkReconnecting(): void;
  onSdkReconnected(): void;
  onDisconnected(reason: DisconnectReason): void;
}

const info = (p: { identity: string; name: string | undefined }): ParticipantInfo => ({
  identity: p.identity,
  name: p.name || undefined,
});

/** Subscribes the handlers to a room's SDK events (before connect, so none are missed). */
export function wireRoomEvents(room: Room, h: RoomHandlers, textStreams: TextStreamGuard): void {
  const guard =
    <A extends unknown[]>(fn: (...args: A) => void) =>
    (...args: A): void => {
      if (h.current()) fn(...args);
    };
  room
    .on(RoomEvent.TrackSubscribed, guard((track, publication, participant) => h.onTrackSubscribed(track, publication, participant)))
    .on(RoomEvent.TrackUnsubscribed, guard((track, publication) => {
      const sid = track.sid ?? publication.sid;
      if (sid) h.onTrackGone(sid);
    }))
    .on(RoomEvent.TrackUnpublished, guard((publication) => {
      if (publication.sid) h.onTrackGone(publication.sid);
    }))
    .on(RoomEvent.ParticipantConnected, guard((p) => h.onParticipantJoined(info(p))))
    .on(RoomEvent.ParticipantDisconnected, guard((p) => h.onParticipantLeft(info(p))))
    .on(RoomEvent.TrackMuted, guard((publication, participant) =>
      h.onMuted({ participantIdentity: participant.identity, trackSid: publication.sid, local: participant === room.localParticipant }, true),
    ))
    .on(RoomEvent.TrackUnmuted, guard((publication, participant) =>
      h.onMuted({ participantIdentity: participant.identity, trackSid: publication.sid, local: participant === room.localParticipant }, false),
    ))
    .on(RoomEvent.ActiveSpeakersChanged, guard((speakers) => h.onActiveSpeakers(speakers.map((s) => s.identity))))
    .on(RoomEvent.ConnectionQualityChanged, guard((quality, participant) => h.onQuality(participant.identity, quality)))
    .on(RoomEvent.DataReceived, guard((payload, participant, kind, topic) => h.onData(payload, participant?.identity, kind, topic)))
    .on(RoomEvent.Reconnecting, guard(() => h.onSdkReconnecting()))
    .on(RoomEvent.Reconnected, guard(() => h.onSdkReconnected()))
    .on(RoomEvent.Disconnected, guard((reason) => h.onDisconnected(reason)));

  // Read incrementally within the guard's per-participant limits: a peer's stream is never read
  // whole into memory, and one over the limits is cancelled and logged.
  room.registerTextStreamHandler(TRANSCRIPTION_TOPIC, (reader, { identity }) => {
    const attributes = reader.info.attributes ?? {};
    const base = {
      participantIdentity: identity,
      segmentId: attributes['lk.segment_id'] ?? reader.info.streamId,
      trackSid: attributes['lk.transcribed_track_id'],
      final: attributes['lk.transcription_final'] === 'true',
    };
    // Agents write their own speech word by word as it plays: report the text as it grows.
    void textStreams
      .read(reader, identity, (text) => {
        if (h.current()) h.onTranscription({ ...base, text, complete: false });
      })
      .then(
        (text) => {
          if (text !== undefined && h.current()) h.onTranscription({ ...base, text, complete: true });
        },
        () => {},
      );
  });
}
