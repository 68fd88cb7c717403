/** Where commands write. Injected so `npm run dev` and tests can reuse commands unchanged. */

/** Standard output and error of a command; `isTTY` enables one-line live redraws. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  isTTY: boolean;
}

/** The process's real stdout/stderr. */
export const processIo: CliIo = {
  out: (t) => void process.stdout.write(t),
  err: (t) => void process.stderr.write(t),
  isTTY: Boolean(process.stdout.isTTY),
};

/** `io` that also remembers whether anything was written to stdout, and what to stderr. */
export function trackedIo(io: CliIo): CliIo & { wroteOut(): boolean; errText(): string } {
  let wrote = false;
  let err = '';
  return {
    out: (t) => {
      wrote = true;
      io.out(t);
    },
    err: (t) => {
      err += t;
      io.err(t);
    },
    isTTY: io.isTTY,
    wroteOut: () => wrote,
    errText: () => err,
  };
}
