/** Output channels of a CLI command, injectable so tests can capture them. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Working directory relative paths resolve against. */
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/** The process's own stdout/stderr. */
export const processIo: CliIo = {
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
  err: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
  cwd: process.cwd(),
  env: process.env,
};

/** Thrown by commands to end with a given exit code after printing their own message. */
export class CliExit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
    this.name = 'CliExit';
  }
}
