import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_AGENT_WAIT_SEC, agentOptions } from './agent-args.js';
import { UsageError } from './errors.js';
import type { FlagValues } from './flags.js';

const cwd = mkdtempSync(join(tmpdir(), 'alto-agent-args-'));
const flags = (entries: Record<string, string | true>): FlagValues => new Map(Object.entries(entries));

describe('agent options', () => {
  it('reads --agent, --say, --transcript, --push-to-talk and --agent-wait', () => {
    expect(agentOptions(flags({}), cwd, false, false)).toEqual({ agent: undefined, say: undefined, transcript: undefined, pushToTalk: false, agentWaitSec: DEFAULT_AGENT_WAIT_SEC });
    expect(
      agentOptions(flags({ agent: ' helper ', say: 'hi there', transcript: 'call.jsonl', 'push-to-talk': true, 'agent-wait': '2.5' }), cwd, false, false),
    ).toEqual({ agent: 'helper', say: 'hi there', transcript: join(cwd, 'call.jsonl'), pushToTalk: true, agentWaitSec: 2.5 });
  });

  it('refuses what cannot work, each with one line', () => {
    const bad = (entries: Record<string, string | true>, usesToken = false, listenOnly = false): string => {
      try {
        agentOptions(flags(entries), cwd, usesToken, listenOnly);
      } catch (error) {
        expect(error).toBeInstanceOf(UsageError);
        return (error as Error).message;
      }
      throw new Error('accepted');
    };
    expect(bad({ agent: 'helper' }, true)).toMatch(/^--agent helper cannot be added to a ready token/);
    expect(bad({ agent: '  ' })).toMatch(/^--agent needs the name/);
    expect(bad({ say: ' ' })).toMatch(/^--say needs a message/);
    expect(bad({ say: 'x'.repeat(4001) })).toMatch(/^--say is 4001 characters long/);
    expect(bad({ 'push-to-talk': true }, false, true)).toMatch(/^--push-to-talk needs a microphone/);
    expect(bad({ transcript: join(cwd, 'no', 'such', 'dir.jsonl') })).toMatch(/cannot create files in/);
    expect(bad({ 'agent-wait': '0' })).toMatch(/^--agent-wait '0' is not a number of seconds/);
    expect(bad({ 'agent-wait': 'soon' })).toMatch(/^--agent-wait 'soon'/);
  });
});
