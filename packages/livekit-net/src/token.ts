import { AccessToken, RoomAgentDispatch, RoomConfiguration, TrackSource } from 'livekit-server-sdk';
import { InvalidOptionsError } from './errors.js';

/** What {@link mintToken} needs. Only the grants a voice client uses are issued. */
export interface MintTokenOptions {
  readonly apiKey: string;
  readonly apiSecret: string;
  /** Room the token may join (and nothing else). */
  readonly room: string;
  readonly identity: string;
  /** Display name shown to others. */
  readonly name?: string;
  /** Lifetime of the token. Default 6 hours: long enough for a call, short if leaked. */
  readonly ttlSeconds?: number;
  /** Default true. */
  readonly canPublish?: boolean;
  /** Default true. */
  readonly canSubscribe?: boolean;
  /** Allow sending data messages. Default true (chat and control messages). */
  readonly canPublishData?: boolean;
  /**
   * Agents the server dispatches into the room when this token joins, by agent name (explicit
   * dispatch through the token's room configuration).
   */
  readonly agents?: readonly string[];
}

/** Default token lifetime in seconds. */
export const DEFAULT_TOKEN_TTL_SECONDS = 6 * 60 * 60;

/**
 * Mints a LiveKit access token with only the grants a voice client needs: join one room,
 * publish (microphone only), subscribe, data. Never log the result.
 */
export async function mintToken(options: MintTokenOptions): Promise<string> {
  const { apiKey, apiSecret, room, identity } = options;
  if (!apiKey || !apiSecret) {
    throw new InvalidOptionsError('mintToken needs an apiKey and an apiSecret: set LIVEKIT_API_KEY and LIVEKIT_API_SECRET');
  }
  if (!room || !identity) {
    throw new InvalidOptionsError('mintToken needs a room name and a participant identity');
  }
  const ttlSeconds = options.ttlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS;
  if (!(ttlSeconds > 0)) {
    throw new InvalidOptionsError(`ttlSeconds must be positive, got ${ttlSeconds}`);
  }
  const token = new AccessToken(apiKey, apiSecret, {
    identity,
    ttl: Math.round(ttlSeconds),
    ...(options.name !== undefined ? { name: options.name } : {}),
  });
  const canPublish = options.canPublish ?? true;
  token.addGrant({
    room,
    roomJoin: true,
    canPublish,
    canSubscribe: options.canSubscribe ?? true,
    canPublishData: options.canPublishData ?? true,
    // A voice client has no business publishing camera or screen tracks.
    ...(canPublish ? { canPublishSources: [TrackSource.MICROPHONE] } : {}),
  });
  const agents = options.agents ?? [];
  if (agents.some((name) => !name.trim())) throw new InvalidOptionsError('an agent name to dispatch cannot be empty');
  if (agents.length > 0) {
    token.roomConfig = new RoomConfiguration({ agents: agents.map((agentName) => new RoomAgentDispatch({ agentName })) });
  }
  return token.toJwt();
}
