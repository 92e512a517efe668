// Public API of src/core/lab: the mTLS test kit and the local TLS test server (re-exported by src/core/index.ts).
export {
  generateTestKit,
  writeTestKit,
  locateTestKit,
  TestKitError,
  TEST_KIT_DEFAULT_PKCS12_PASSWORD,
  TEST_KIT_FILE_NAMES,
  TEST_KIT_MANIFEST,
  TEST_KIT_GITIGNORE,
  TEST_KIT_GITIGNORE_COMMENT,
  kitGitignorePatterns,
  PKCS12_ENCRYPTION,
  PKCS12_MAC,
} from "./kit";
export type { TestKit, TestKitFile, TestKitManifest, TestKitOptions, TestKitPaths, TestKitRole, WriteTestKitResult } from "./kit";
export { startTestServer, TEST_SERVER_MODES } from "./server";
export type { RunningTestServer, TestServerEvent, TestServerMaterial, TestServerMode, TestServerOptions } from "./server";
