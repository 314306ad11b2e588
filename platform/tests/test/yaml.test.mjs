import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { existsSync } from "node:fs";
import { PLATFORM, REPO_ROOT, listFiles, loadYamlFile, parseYaml, rel } from "../lib/manifests.mjs";

const yamlFiles = [
  ...listFiles(PLATFORM, /\.ya?ml(\.example)?$/),
  ...listFiles(join(REPO_ROOT, ".github", "workflows"), /\.ya?ml$/),
];

test("the platform and the workflows hold YAML files", () => {
  assert.ok(yamlFiles.length > 20, `found only ${yamlFiles.length}`);
  assert.ok(existsSync(join(REPO_ROOT, ".github", "workflows", "release.yml")));
  assert.ok(existsSync(join(REPO_ROOT, ".github", "workflows", "validate-claims.yml")));
});

for (const file of yamlFiles) {
  test(`${rel(file)} parses as YAML with unique keys`, () => {
    assert.ok(loadYamlFile(file).length > 0, "holds no document");
  });
}

test("the YAML check rejects a duplicated key and a broken flow sequence", () => {
  assert.throws(() => parseYaml("a: 1\na: 2\n", "dup.yaml"), /dup\.yaml: .*unique/i);
  assert.throws(() => parseYaml("x: {fromFieldPath: a[0]}\n", "flow.yaml"), /flow\.yaml/);
});
