import { AccessToken } from 'livekit-server-sdk';
import type { TokenRequest } from './args.js';

/**
 * Mints a join token for one room and identity, signed with the API secret. Grants publishing,
 * subscribing and data, which is everything the client does.
 * @returns the JWT
 */
export async function mintToken(request: TokenRequest): Promise<string> {
  const token = new AccessToken(request.apiKey, request.apiSecret, {
    identity: request.identity,
    ttl: request.ttlSec,
    ...(request.name === undefined ? {} : { name: request.name }),
  });
  token.addGrant({ roomJoin: true, room: request.room, canPublish: true, canSubscribe: true, canPublishData: true });
  return token.toJwt();
}
