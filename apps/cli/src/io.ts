/** Where a command writes. Tests pass a capturing implementation; bin.ts passes the process streams. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** True when stderr is an interactive terminal (live progress bars are drawn only then). */
  isTty: boolean;
  cwd: string;
}

export function processIo(): CliIo {
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    isTty: Boolean(process.stderr.isTTY),
    cwd: process.cwd(),
  };
}
