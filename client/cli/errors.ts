/**
 * CLI outcomes that are not a stack trace: each carries the process exit code, so scripts
 * can tell "you typed it wrong" (2) from "it did not work" (1).
 */

/** Exit codes of `agora-capture`. */
export const EXIT = {
  ok: 0,
  /** Runtime failure: Temporal unreachable, capture not found, capture failed. */
  failure: 1,
  /** Bad command line or invalid capture request: retrying the same thing cannot help. */
  usage: 2,
} as const;

/** A bad command line; the usage of `command` is printed after the message. */
export class UsageError extends Error {
  override name = 'UsageError';
  constructor(
    message: string,
    /** The command whose usage to show; undefined for the top-level usage. */
    readonly command?: string,
  ) {
    super(message);
  }
}

/**
 * A failure reported on stderr with exit code `code`. `details` are its machine-readable
 * fields (e.g. `issues` of an invalid request), added to the `--json` error object.
 */
export class CliFailure extends Error {
  override name = 'CliFailure';
  constructor(
    message: string,
    readonly code: number = EXIT.failure,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}
