import { describe, expect, it } from 'vitest';
import { ParticipantPresence } from './presence.js';

describe('ParticipantPresence', () => {
  it('announces each person once, reports a leave only after a join, and reconciles a rejoin', () => {
    const log: string[] = [];
    const presence = new ParticipantPresence((p) => log.push(`joined ${p.identity}`), (p) => log.push(`left ${p.identity}`));
    presence.reconcile([{ identity: 'amy', name: 'Amy' }, { identity: 'bob', name: undefined }]);
    presence.joined({ identity: 'amy', name: 'Amy' });
    presence.left('carol');
    presence.joined({ identity: 'carol', name: undefined });
    // A rejoin: bob left while we were away, dave arrived.
    presence.reconcile([{ identity: 'amy', name: 'Amy' }, { identity: 'carol', name: undefined }, { identity: 'dave', name: undefined }]);
    presence.left('dave');
    presence.left('dave');
    expect(log).toEqual(['joined amy', 'joined bob', 'joined carol', 'left bob', 'joined dave', 'left dave']);
    presence.clear();
    presence.left('amy');
    expect(log).toHaveLength(6);
  });
});
