// ESLint for the browser client (make lint-js): the recommended rules, plus unused variables
// caught everywhere. The client is plain ES modules with no build step.
import js from "@eslint/js";
import globals from "globals";

export default [
  { ignores: ["src/unspoken/web/static/js/vendor/**", "node_modules/**", "build/**", ".venv/**"] },
  js.configs.recommended,
  {
    files: ["src/unspoken/web/**/*.js"],
    languageOptions: {
      ecmaVersion: 2024,
      sourceType: "module",
      globals: { ...globals.browser },
    },
    rules: {
      "no-unused-vars": [
        "error",
        { args: "after-used", caughtErrors: "all", ignoreRestSiblings: true },
      ],
    },
  },
  {
    files: ["src/unspoken/web/sw.js"],
    languageOptions: { sourceType: "script", globals: { ...globals.serviceworker } },
  },
  {
    files: ["tests/**/*.js"],
    languageOptions: { ecmaVersion: 2024, sourceType: "module", globals: { ...globals.browser } },
  },
];
