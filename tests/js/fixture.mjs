// The Python side of the node tests: a JSON file tests/explorer/test_assets.py writes from latentlab's own
// functions and names in LATENTLAB_JS_FIXTURE. Without it, the tests that need it skip.
import fs from "node:fs";

export const fixture = process.env.LATENTLAB_JS_FIXTURE ?
  JSON.parse(fs.readFileSync(process.env.LATENTLAB_JS_FIXTURE)) : null;
export const needsFixture = fixture ? {} : {skip: "run through pytest (tests/explorer/test_assets.py) for the Python side"};
