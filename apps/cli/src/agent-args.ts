import { resolve } from 'node:path';
import { checkWritableTarget } from './file-checks.js';
import { UsageError } from './errors.js';
import { clip, type FlagValues } from './flags.js';

/** What `alto` does with voice agents: the agent options of a {@link CliConfig}. */
export interface AgentCliOptions {
  /** `--agent NAME`: dispatched through the room configuration of the token alto mints. */
  readonly agent: string | undefined;
  /** `--say TEXT`: sent on `lk.chat` once joined. */
  readonly say: string | undefined;
  /** `--transcript FILE`: absolute path of the JSON Lines conversation file. */
  readonly transcript: string | undefined;
  /** `--push-to-talk`: the microphone opens only while the user holds the turn. */
  readonly pushToTalk: boolean;
  /** `--agent-wait SEC`: how long to wait for the agent before saying it did not come (and before `--say` goes out anyway). */
  readonly agentWaitSec: number;
}

/** Default of `--agent-wait`. */
export const DEFAULT_AGENT_WAIT_SEC = 15;

/** Longest `--say` message: the framework's chat input is for a sentence, not a document. */
const MAX_SAY_CHARS = 4000;

/**
 * Reads and checks the agent flags.
 * @param usesToken true when joining with a ready token (whose room configuration is fixed)
 * @throws {UsageError} one line saying what is wrong and what to do
 */
export function agentOptions(flags: FlagValues, cwd: string, usesToken: boolean, listenOnly: boolean): AgentCliOptions {
  const agentText = flags.get('agent');
  let agent: string | undefined;
  if (typeof agentText === 'string') {
    agent = agentText.trim();
    if (agent === '') throw new UsageError('--agent needs the name a worker registered with, e.g. --agent my-agent');
    if (/\p{Cc}/u.test(agent)) throw new UsageError(`--agent '${clip(agent)}' contains a control character`);
    if (usesToken) {
      throw new UsageError(
        `--agent ${clip(agent)} cannot be added to a ready token (its room configuration is fixed when it is minted); use --api-key/--api-secret, or a token minted with the agent in it and no --agent`,
      );
    }
  }
  const sayText = flags.get('say');
  let say: string | undefined;
  if (typeof sayText === 'string') {
    if (sayText.trim() === '') throw new UsageError('--say needs a message, e.g. --say "what time is it?"');
    if ([...sayText].length > MAX_SAY_CHARS) throw new UsageError(`--say is ${[...sayText].length} characters long; send at most ${MAX_SAY_CHARS}`);
    say = sayText;
  }
  const pushToTalk = flags.has('push-to-talk');
  if (pushToTalk && listenOnly) throw new UsageError('--push-to-talk needs a microphone, but --listen-only opens none; drop one');
  let transcript: string | undefined;
  const transcriptText = flags.get('transcript');
  if (typeof transcriptText === 'string') {
    if (transcriptText.trim() === '') throw new UsageError('--transcript needs a file name, e.g. --transcript call.jsonl');
    transcript = resolve(cwd, transcriptText);
    checkWritableTarget(transcript, `--transcript ${clip(transcriptText)}`);
  }
  const waitText = flags.get('agent-wait');
  let agentWaitSec = DEFAULT_AGENT_WAIT_SEC;
  if (typeof waitText === 'string') {
    agentWaitSec = Number(waitText);
    if (waitText.trim() === '' || !Number.isFinite(agentWaitSec) || agentWaitSec <= 0 || agentWaitSec > 3600) {
      throw new UsageError(`--agent-wait '${clip(waitText)}' is not a number of seconds from 0 to 3600; e.g. --agent-wait 30`);
    }
  }
  return { agent, say, transcript, pushToTalk, agentWaitSec };
}
