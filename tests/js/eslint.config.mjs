// eslint for the explorer's JavaScript (latentlab/explorer/js, ES modules) and its node tests: run by `make test`
// from the repository root. The bundles in latentlab/explorer/assets are esbuild's output and are not linted.
import js from "@eslint/js";
import globals from "globals";

export default [
  js.configs.recommended,
  {
    files: ["latentlab/explorer/js/**/*.js", "latentlab/explorer/js/*.mjs"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "module",
      globals: {...globals.browser, ...globals.worker, ...globals.node, Bokeh: "readonly"},
    },
    rules: {
      "no-unused-vars": ["error", {args: "none"}],
      "no-unused-expressions": "error",
      "eqeqeq": "error",
      "no-var": "error",
      "prefer-const": "error",
      "max-lines": ["error", {max: 300}],
      "max-lines-per-function": ["error", {max: 60, skipBlankLines: true, skipComments: true}],
      // no state on window shared between modules: the page's API object is made in the entry modules only
      "no-restricted-properties": ["error", {object: "window", property: "latentlab",
                                             message: "modules share state through their arguments"}],
    },
  },
  {
    files: ["latentlab/explorer/js/main-*.js"],
    rules: {"no-restricted-properties": "off"},
  },
  {
    files: ["tests/js/*.mjs"],
    languageOptions: {ecmaVersion: 2022, sourceType: "module", globals: {...globals.node}},
  },
  {
    files: ["tests/js/*.js"],
    languageOptions: {ecmaVersion: 2022, sourceType: "commonjs", globals: {...globals.node}},
  },
];
