/**
 * The test agent: a real LiveKit Agents worker (`AgentSession`, Silero VAD, room I/O) with the
 * local stand-ins of `stand-ins.ts` for STT, LLM and TTS. Run as
 * `node --import tsx src/agent.ts start` with LIVEKIT_URL/KEY/SECRET and:
 *   ALTO_TEST_AGENT_NAME  the name it is dispatched by (explicit dispatch only)
 *   ALTO_TEST_AGENT_PORT  the worker's health-check port (on 127.0.0.1)
 *   ALTO_TEST_AGENT_LOG   a JSON Lines file where each job records the RPCs it received
 * In a room whose name starts with `ptt-` it behaves like LiveKit's push-to-talk example: manual
 * turn detection and the `start_turn`/`end_turn`/`cancel_turn` RPCs.
 */
import { type JobContext, type JobProcess, ServerOptions, cli, defineAgent, voice } from '@livekit/agents';
import * as silero from '@livekit/agents-plugin-silero';
import { appendFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DurationStt, FixedReplyLlm, ToneTts } from './stand-ins.js';

function record(entry: Record<string, unknown>): void {
  const file = process.env.ALTO_TEST_AGENT_LOG;
  if (file) appendFileSync(file, `${JSON.stringify({ at: Date.now(), ...entry })}\n`);
}

export default defineAgent({
  prewarm: async (proc: JobProcess) => {
    // Silero's model ships inside its npm package: nothing is downloaded.
    proc.userData.vad = await silero.VAD.load();
  },
  entry: async (ctx: JobContext) => {
    await ctx.connect();
    const room = ctx.room;
    const pushToTalk = (room.name ?? '').startsWith('ptt-');
    const session = new voice.AgentSession({
      vad: ctx.proc.userData.vad as silero.VAD,
      stt: new DurationStt(),
      llm: new FixedReplyLlm(),
      tts: new ToneTts(),
      ...(pushToTalk ? { turnDetection: 'manual' as const } : {}),
    });
    await session.start({
      agent: new voice.Agent({ instructions: 'Answer with a fixed sentence.' }),
      room,
      // A client that rejoins (a long resume on a busy box makes Alto rejoin cleanly) comes back
      // under the same identity: keep the session for it instead of ending the job.
      inputOptions: { closeOnDisconnect: false },
    });
    record({ event: 'started', room: room.name, pushToTalk });
    if (!pushToTalk) return;
    const local = room.localParticipant;
    if (!local) throw new Error('the agent has no local participant');
    local.registerRpcMethod('start_turn', (data) => {
      record({ event: 'rpc', method: 'start_turn', caller: data.callerIdentity });
      session.interrupt();
      session.clearUserTurn();
      return Promise.resolve('ok');
    });
    local.registerRpcMethod('end_turn', (data) => {
      record({ event: 'rpc', method: 'end_turn', caller: data.callerIdentity });
      session.commitUserTurn();
      return Promise.resolve('ok');
    });
    local.registerRpcMethod('cancel_turn', (data) => {
      record({ event: 'rpc', method: 'cancel_turn', caller: data.callerIdentity });
      session.clearUserTurn();
      return Promise.resolve('ok');
    });
  },
});

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  cli.runApp(
    new ServerOptions({
      agent: fileURLToPath(import.meta.url),
      agentName: process.env.ALTO_TEST_AGENT_NAME ?? 'test-agent',
      host: '127.0.0.1',
      port: Number(process.env.ALTO_TEST_AGENT_PORT ?? 8081),
      // One warm job process: the tests run one conversation at a time on a 2-core box.
      numIdleProcesses: 1,
      // The default load function marks a worker full at 70 % CPU, and a busy test machine would
      // then get no jobs at all: the tests dispatch one conversation at a time.
      loadFunc: () => Promise.resolve(0),
      // Loading Silero on a busy 2-core box can take longer than the default 10 s.
      initializeProcessTimeout: 60_000,
    }),
  );
}
