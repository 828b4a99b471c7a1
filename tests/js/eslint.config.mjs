// eslint for the explorer's JavaScript (latentlab/explorer/assets): run by `make test` from the repository root.
import js from "@eslint/js";
import globals from "globals";

export default [
  js.configs.recommended,
  {
    files: ["latentlab/explorer/assets/**/*.js"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "script",
      globals: {...globals.browser, ...globals.worker, module: "readonly", Bokeh: "readonly"},
    },
    rules: {
      "no-unused-vars": ["error", {args: "none"}],
      "no-unused-expressions": "error",
      "eqeqeq": "error",
      "no-var": "error",
      "prefer-const": "error",
      "max-lines": ["error", {max: 400}],
      "max-lines-per-function": ["error", {max: 60, skipBlankLines: true, skipComments: true, IIFEs: false}],
    },
  },
  {
    files: ["tests/js/*.js"],
    languageOptions: {ecmaVersion: 2022, sourceType: "commonjs", globals: {...globals.node}},
  },
];
