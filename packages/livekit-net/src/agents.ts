import { ParticipantKind, RpcError, type LocalParticipant, type RemoteParticipant, type Room } from '@livekit/rtc-node';
import type { TextStreamGuard } from './text-streams.js';

/**
 * The conventions LiveKit Agents use on the wire (read from @livekit/agents 1.9:
 * `src/constants.ts`, `src/voice/room_io/room_io.ts`, `src/voice/room_io/_output.ts`, and the
 * push-to-talk example `examples/src/push_to_talk.ts`). They are conventions, not a typed API.
 */
export const AGENT_STATE_ATTRIBUTE = 'lk.agent.state';
/** Attribute naming the agent a participant runs (its dispatch name). */
export const AGENT_NAME_ATTRIBUTE = 'lk.agent.name';
/** Text-stream topic on which an agent session takes typed input from its linked participant. */
export const CHAT_TOPIC = 'lk.chat';

/** The manual-turn RPC methods of LiveKit's push-to-talk agent example. */
export type TurnRpcMethod = 'start_turn' | 'end_turn' | 'cancel_turn';

/** An agent participant in the room. */
export interface AgentInfo {
  readonly identity: string;
  /** `lk.agent.name`, the name it was dispatched by, when it publishes one. */
  readonly agentName: string | undefined;
  /** `lk.agent.state` (initializing, idle, listening, thinking, speaking, ...), when published. */
  readonly state: string | undefined;
}

/** A change of an agent's `lk.agent.state`. */
export interface AgentStateEvent {
  readonly identity: string;
  readonly state: string;
  readonly previous: string | undefined;
}

/** A text message received on `lk.chat`. */
export interface ChatMessageEvent {
  readonly participantIdentity: string;
  readonly text: string;
  readonly streamId: string;
}

/** Where the tracker reports. */
export interface AgentTrackerHandlers {
  onAgentJoined(agent: AgentInfo): void;
  onAgentState(event: AgentStateEvent): void;
  onAgentLeft(agent: AgentInfo): void;
}

interface ParticipantLike {
  readonly identity: string;
  readonly kind: ParticipantKind;
  readonly attributes: Record<string, string>;
}

/** True for a participant the server marks as an agent (participant kind AGENT). */
export function isAgentParticipant(p: Pick<ParticipantLike, 'kind'>): boolean {
  return p.kind === ParticipantKind.AGENT;
}

/**
 * Knows which remote participants are agents and what state each one publishes. Fed by room
 * events; `scan` catches agents that were in the room before we joined (they fire no join event).
 */
export class AgentTracker {
  readonly #agents = new Map<string, AgentInfo>();

  constructor(private readonly handlers: AgentTrackerHandlers) {}

  /** Agents in the room now. */
  list(): AgentInfo[] {
    return [...this.#agents.values()];
  }

  /** Registers every agent already in the room. */
  scan(room: Room): void {
    for (const p of room.remoteParticipants.values()) this.joined(p);
  }

  /** A participant joined: recorded if it is an agent. */
  joined(p: ParticipantLike): void {
    if (!isAgentParticipant(p) || this.#agents.has(p.identity)) return;
    const info: AgentInfo = { identity: p.identity, agentName: p.attributes[AGENT_NAME_ATTRIBUTE], state: p.attributes[AGENT_STATE_ATTRIBUTE] };
    this.#agents.set(p.identity, info);
    this.handlers.onAgentJoined(info);
    if (info.state !== undefined) this.handlers.onAgentState({ identity: p.identity, state: info.state, previous: undefined });
  }

  /** A participant's attributes changed: reports a new agent state. */
  attributesChanged(changed: Record<string, string>, p: ParticipantLike): void {
    if (!isAgentParticipant(p)) return;
    if (!this.#agents.has(p.identity)) {
      this.joined(p);
      return;
    }
    const previous = this.#agents.get(p.identity);
    const state = changed[AGENT_STATE_ATTRIBUTE];
    const agentName = changed[AGENT_NAME_ATTRIBUTE] ?? previous?.agentName;
    if (state === undefined || state === previous?.state) {
      if (previous) this.#agents.set(p.identity, { ...previous, agentName });
      return;
    }
    this.#agents.set(p.identity, { identity: p.identity, agentName, state });
    this.handlers.onAgentState({ identity: p.identity, state, previous: previous?.state });
  }

  /** A participant left. */
  left(identity: string): void {
    const info = this.#agents.get(identity);
    if (!info) return;
    this.#agents.delete(identity);
    this.handlers.onAgentLeft(info);
  }

  /** Forgets everything (the room was left). */
  clear(): void {
    this.#agents.clear();
  }
}

/**
 * Subscribes a tracker to a room's participant events and `lk.chat` to `onChat`; chat streams
 * are read through `textStreams`, within its per-participant limits.
 */
export function wireAgentEvents(
  room: Room,
  tracker: AgentTracker,
  current: () => boolean,
  onChat: (event: ChatMessageEvent) => void,
  textStreams: TextStreamGuard,
): void {
  room
    .on('participantConnected', (p: RemoteParticipant) => {
      if (current()) tracker.joined(p);
    })
    .on('participantDisconnected', (p: RemoteParticipant) => {
      if (current()) tracker.left(p.identity);
    })
    .on('participantAttributesChanged', (changed, p) => {
      if (current() && p !== room.localParticipant) tracker.attributesChanged(changed, p);
    });
  room.registerTextStreamHandler(CHAT_TOPIC, (reader, { identity }) => {
    void textStreams.read(reader, identity).then(
      (text) => {
        if (text !== undefined && current()) onChat({ participantIdentity: identity, text, streamId: reader.info.streamId });
      },
      () => {},
    );
  });
}

/** Sends `text` on `lk.chat`, the way an agent session takes typed input. */
export async function sendChatText(local: LocalParticipant, text: string, destinationIdentities?: readonly string[]): Promise<string> {
  const info = await local.sendText(text, {
    topic: CHAT_TOPIC,
    ...(destinationIdentities && destinationIdentities.length > 0 ? { destinationIdentities: [...destinationIdentities] } : {}),
  });
  return info.streamId;
}

/** What a turn RPC came back with: `unsupported` when the agent registers no such method. */
export type TurnRpcResult = 'ok' | 'unsupported';

/**
 * Calls one of the push-to-talk example's turn RPCs on an agent. Resolves `unsupported` when
 * the agent does not register it; rejects on any other failure (timeout, agent gone).
 */
export async function callTurnRpc(local: LocalParticipant, agentIdentity: string, method: TurnRpcMethod, timeoutMs = 5000): Promise<TurnRpcResult> {
  try {
    await local.performRpc({ destinationIdentity: agentIdentity, method, payload: '', responseTimeout: timeoutMs });
    return 'ok';
  } catch (error) {
    if (error instanceof RpcError && error.code === RpcError.ErrorCode.UNSUPPORTED_METHOD) return 'unsupported';
    throw error;
  }
}
