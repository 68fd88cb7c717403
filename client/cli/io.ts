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
