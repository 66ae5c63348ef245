import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const AGENT = fileURLToPath(new URL('./agent.ts', import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** Where and under which name the test agent's worker registers. */
export interface TestAgentOptions {
  readonly url: string;
  readonly apiKey: string;
  readonly apiSecret: string;
  /** The name it is dispatched by. */
  readonly agentName: string;
  /** A free TCP port for the worker's health check (on 127.0.0.1). */
  readonly healthPort: number;
  /** JSON Lines file where jobs record what they received. */
  readonly logFile: string;
}

/** One entry of the agent's record. */
export interface AgentRecord {
  readonly at: number;
  readonly event: 'started' | 'rpc';
  readonly method?: string;
  readonly caller?: string;
  readonly room?: string;
}

/** A running test-agent worker. */
export interface TestAgent {
  /** Everything the agent's jobs recorded so far. */
  records(): AgentRecord[];
  /** The worker's log (pino JSON lines), for failure messages. */
  readonly output: () => string;
  stop(): Promise<void>;
}

/**
 * Starts the test agent's worker (a separate Node process: it runs @livekit/rtc-node 0.13, Alto
 * runs 1.x) and resolves once it is registered with the server. Registration includes loading
 * the framework and, in a warm job process, Silero: allow a slow, busy machine its time.
 */
export async function startTestAgent(options: TestAgentOptions, timeoutMs = 120_000): Promise<TestAgent> {
  const child: ChildProcess = spawn(process.execPath, ['--import', TSX, AGENT, 'start', '--log-level', 'info'], {
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: process.env['HOME'] ?? '/tmp',
      LIVEKIT_URL: options.url,
      LIVEKIT_API_KEY: options.apiKey,
      LIVEKIT_API_SECRET: options.apiSecret,
      ALTO_TEST_AGENT_NAME: options.agentName,
      ALTO_TEST_AGENT_PORT: String(options.healthPort),
      ALTO_TEST_AGENT_LOG: options.logFile,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (output = (output + d).slice(-200_000)));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (output = (output + d).slice(-200_000)));
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  const end = Date.now() + timeoutMs;
  while (!output.includes('registered worker')) {
    if (child.exitCode !== null || Date.now() > end) {
      child.kill('SIGKILL');
      throw new Error(`the test agent did not register within ${timeoutMs} ms: ${output.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    output: () => output,
    records: () =>
      existsSync(options.logFile)
        ? readFileSync(options.logFile, 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((line) => JSON.parse(line) as AgentRecord)
        : [],
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
