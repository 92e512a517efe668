import { EXIT_USAGE, type CliIo } from "./args";

// Placeholder while the inspect command is being written; replaced by its real implementation.
export async function runInspect(_argv: string[], io: CliIo): Promise<number> {
  io.stderr("certscope inspect: not available in this build\n");
  return EXIT_USAGE;
}
