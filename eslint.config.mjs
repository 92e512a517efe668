// Lint config. Its main job is the architecture boundary: src/core and src/shared never import `vscode`
// (core is tested in plain Node; shared is loaded by the webview too), and src/shared never imports Node.
import tseslint from "typescript-eslint";

const noVscode = {
  name: "vscode",
  message: "src/core and src/shared must not import vscode: put editor code under src/adapters.",
};

export default tseslint.config(
  { ignores: ["dist/**", "out/**", "node_modules/**", "test/e2e/.work/**", ".e2e/**", "**/*.js", "**/*.mjs"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-explicit-any": "off",
    },
  },
  {
    files: ["src/core/**/*.ts"],
    rules: { "no-restricted-imports": ["error", { paths: [noVscode] }] },
  },
  {
    files: ["src/shared/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { paths: [noVscode], patterns: [{ group: ["node:*", "fs", "net", "tls", "crypto", "path"], message: "src/shared is loaded by the webview: no Node modules." }] },
      ],
    },
  },
);
