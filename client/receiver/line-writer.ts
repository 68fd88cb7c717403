/**
 * Log lines written in batches: the lines of one event-loop turn go out in one write. Writing
 * to stdout is a synchronous system call per write when stdout is a file or a pipe (as under a
 * container runtime or a supervisor), and the receiver logs a line per callback: under load,
 * one write per line was a tenth of its CPU. Lines still pending are written when the process
 * exits (`process.exit`, an uncaught exception); a SIGKILL loses at most one turn's lines.
 */
export type WriteLine = (line: string) => void;

export function lineWriter(write: (chunk: string) => void = (c) => void process.stdout.write(c)): WriteLine {
  let pending: string[] = [];
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (pending.length === 0) return;
    const chunk = pending.join('');
    pending = [];
    write(chunk);
  };
  process.on('exit', flush);
  return (line) => {
    pending.push(line);
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  };
}
