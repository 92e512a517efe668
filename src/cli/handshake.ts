import { EXIT_USAGE, type CliIo } from "./args";

// Placeholder while the handshake command is being written; replaced by its real implementation.
export async function runHandshake(_argv: string[], io: CliIo): Promise<number> {
  io.stderr("certscope handshake: not available in this build\n");
  return EXIT_USAGE;
}
