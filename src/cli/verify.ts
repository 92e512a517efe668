import { EXIT_USAGE, type CliIo } from "./args";

// Placeholder while the verify command is being written; replaced by its real implementation.
export async function runVerify(_argv: string[], io: CliIo): Promise<number> {
  io.stderr("certscope verify: not available in this build\n");
  return EXIT_USAGE;
}
