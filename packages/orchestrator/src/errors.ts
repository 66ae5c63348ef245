/** Base of the orchestrator's errors; `code` is stable for programs, `message` is for people. */
export class OrchestratorError extends Error {
  override readonly name: string = 'OrchestratorError';
  constructor(
    readonly code:
      | 'INVALID_OPTIONS'
      | 'NOT_CONNECTED'
      | 'NOT_RECEIVING'
      | 'ALREADY_CONNECTED'
      | 'UNKNOWN_PARTICIPANT'
      | 'PLUGIN_LOAD_FAILED'
      | 'AGENT_NOT_JOINED',
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
