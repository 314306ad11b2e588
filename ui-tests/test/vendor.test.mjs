// The vendored libraries are the pinned npm packages' own files (scripts/ui-vendor.sh), with the
// one documented change to hooks.mjs, and their licenses ship beside them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";
import { REPO } from "./helpers.mjs";

const require = createRequire(import.meta.url);
const modules = join(REPO, "ui-tests", "node_modules");
const vendor = join(REPO, "src", "main", "resources", "ui", "vendor");
const version = (name) => require(join(modules, name, "package.json")).version;

test("preact's module builds are vendored unchanged but for the hooks import", () => {
  const dir = join(vendor, `preact-${version("preact")}`);
  assert.equal(readFileSync(join(dir, "preact.mjs"), "utf8"), readFileSync(join(modules, "preact/dist/preact.mjs"), "utf8"));
  const upstream = readFileSync(join(modules, "preact/hooks/dist/hooks.mjs"), "utf8");
  assert.ok(upstream.includes('from"preact"'));
  assert.equal(readFileSync(join(dir, "hooks.mjs"), "utf8"), upstream.replace('from"preact"', 'from"./preact.mjs"'));
  assert.equal(readFileSync(join(dir, "LICENSE"), "utf8"), readFileSync(join(modules, "preact/LICENSE"), "utf8"));
});

test("htm's module build is vendored unchanged with its license", () => {
  const dir = join(vendor, `htm-${version("htm")}`);
  assert.equal(readFileSync(join(dir, "htm.mjs"), "utf8"), readFileSync(join(modules, "htm/dist/htm.mjs"), "utf8"));
  assert.equal(readFileSync(join(dir, "LICENSE"), "utf8"), readFileSync(join(modules, "htm/LICENSE"), "utf8"));
});

test("the page imports the vendored versions that package.json pins", () => {
  const lib = readFileSync(join(REPO, "src/main/resources/ui/js/lib.js"), "utf8");
  assert.ok(lib.includes(`vendor/preact-${version("preact")}/preact.mjs`));
  assert.ok(lib.includes(`vendor/htm-${version("htm")}/htm.mjs`));
  assert.ok(existsSync(join(vendor, "README.md")));
});
