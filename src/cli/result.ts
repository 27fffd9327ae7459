/** What every command returns: its output and its exit status. Only main.ts sets the exit code. */
export interface CommandResult {
  /** 0: success, 1: the content has errors (or the command refused), 2: could not run. */
  status: 0 | 1 | 2;
  stdout?: string;
  stderr?: string;
}

/** Bad arguments: the command cannot run (exit status 2). */
export class UsageError extends Error {}
