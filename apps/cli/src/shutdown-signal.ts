/**
 * One SIGINT/SIGTERM listener for the whole life of the process. Installed before anything
 * heavy loads: a handler removed and replaced later can lose a signal that arrived in between.
 */
let requested: NodeJS.Signals | undefined;
let notify: (signal: NodeJS.Signals) => void = () => {};

/** Resolves with the first SIGINT or SIGTERM received after {@link installShutdownHandlers}. */
export const shutdownSignal = new Promise<NodeJS.Signals>((resolve) => {
  notify = resolve;
});

/** Starts listening for SIGINT and SIGTERM (idempotent). */
export function installShutdownHandlers(): void {
  if (process.listeners('SIGTERM').includes(onSignal)) return;
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

/** The signal received so far, if any. */
export function shutdownRequested(): NodeJS.Signals | undefined {
  return requested;
}

function onSignal(signal: NodeJS.Signals): void {
  requested ??= signal;
  notify(signal);
}
