import { TrackSource } from '@livekit/rtc-node';
import { describe, expect, it } from 'vitest';
import { microphoneDenial } from './publish-permission.js';

describe('microphoneDenial', () => {
  it('allows a grant that can publish any source, or the microphone among others', () => {
    expect(microphoneDenial({ canPublish: true, canPublishSources: [] })).toBeUndefined();
    expect(
      microphoneDenial({
        canPublish: true,
        canPublishSources: [TrackSource.SOURCE_CAMERA, TrackSource.SOURCE_MICROPHONE],
      }),
    ).toBeUndefined();
  });

  it('blames canPublish only when the grant really lacks it', () => {
    expect(microphoneDenial({ canPublish: false, canPublishSources: [] })).toMatch(
      /does not grant canPublish/,
    );
  });

  it('says when the allowed sources leave out the microphone', () => {
    expect(
      microphoneDenial({ canPublish: true, canPublishSources: [TrackSource.SOURCE_CAMERA] }),
    ).toMatch(/canPublishSources/);
  });

  it('assumes nothing when the server reported no grants', () => {
    expect(microphoneDenial(undefined)).toBeUndefined();
  });
});
