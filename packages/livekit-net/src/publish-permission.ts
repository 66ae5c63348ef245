import { TrackSource, type LocalParticipant } from '@livekit/rtc-node';

/** What the server granted this participant, as the native layer reports it on joining. */
export interface PublishPermission {
  readonly canPublish?: boolean;
  readonly canPublishSources?: readonly TrackSource[];
}

/**
 * Why the server's grants forbid publishing a microphone, in words, or undefined when they allow
 * it. An SDK publish against a token without the grant only times out after ~10 s with the same
 * message as a server that is slow to answer, so the grant is read before publishing instead.
 */
export function microphoneDenial(permission: PublishPermission | undefined): string | undefined {
  if (!permission) return undefined;
  if (permission.canPublish === false) return 'the token does not grant canPublish';
  const sources = permission.canPublishSources ?? [];
  if (sources.length > 0 && !sources.includes(TrackSource.SOURCE_MICROPHONE)) {
    return "the token's canPublishSources does not include the microphone";
  }
  return undefined;
}

/** The grants the server gave `participant` (the SDK keeps them on its internal info). */
export function publishPermissionOf(participant: LocalParticipant): PublishPermission | undefined {
  const info = (participant as { info?: { permission?: PublishPermission } }).info;
  return info?.permission;
}
