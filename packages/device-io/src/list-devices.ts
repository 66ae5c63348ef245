/** Device listing through a short-lived audio host. */
import { noopLogger, type Logger } from '@alto/mixer-core';
import { AudioHostError } from './errors.js';
import { HostProcess } from './host-process.js';
import type { AudioDevice } from './protocol.js';

/** Options of {@link listDevices}. */
export interface ListDevicesOptions {
  /** Extra environment for the audio host (e.g. PULSE_SERVER and ALSA_CONFIG_PATH). */
  readonly env?: Readonly<Record<string, string>>;
  readonly logger?: Logger;
  /** Default 10000. */
  readonly timeoutMs?: number;
}

/** Lists PortAudio's devices (queried in a child process; naudiodon never loads in yours). */
export async function listDevices(options: ListDevicesOptions = {}): Promise<AudioDevice[]> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  let host: HostProcess | undefined;
  try {
    return await new Promise<AudioDevice[]>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new AudioHostError(`listing devices did not finish within ${timeoutMs} ms`)),
        timeoutMs,
      );
      host = new HostProcess({ env: options.env ?? {}, logger: options.logger ?? noopLogger })
        .on('reply', (reply) => {
          clearTimeout(timer);
          if (reply.t === 'devices') resolve(reply.devices);
          else if (reply.t === 'error') reject(new AudioHostError(`listing devices failed: ${reply.message}`));
        })
        .on('exit', (code, signal) => {
          clearTimeout(timer);
          reject(new AudioHostError(`the audio host exited while listing devices (code ${code}, signal ${signal})`));
        });
      host.send({ t: 'list' });
    });
  } finally {
    await host?.stop(300);
  }
}
