// The published claim schemas: fresh with respect to the XRDs, accepting the examples and
// rejecting each kind of mistake with a message that names the field and the rule.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { REPO_ROOT } from "../lib/manifests.mjs";
import { SCHEMAS, loadXrds } from "../lib/xrd.mjs";
import { loadValidators, claimProblems } from "../lib/claims.mjs";
import { loadClaim, withSpec } from "./helpers.mjs";

const validators = loadValidators();
const minimal = loadClaim("04-apis/examples/minimal-claim.yaml");
const full = loadClaim("04-apis/examples/full-claim.yaml");
const agent = loadClaim("03-intelligence/agent-executor-claim.yaml");

test("published schemas are up to date with the XRDs (regenerated into a temp dir and compared)", () => {
  const out = mkdtempSync(join(tmpdir(), "schemas-"));
  execFileSync(join(REPO_ROOT, "scripts", "publish-schema.sh"), ["--out", out], { stdio: "pipe" });
  const fresh = readdirSync(out).sort();
  assert.deepEqual(fresh, ["agentexecutor.schema.json", "eventdrivenservice.schema.json"]);
  assert.deepEqual(readdirSync(SCHEMAS).sort(), fresh, "one published schema per XRD, nothing else");
  for (const name of fresh) {
    assert.equal(readFileSync(join(SCHEMAS, name), "utf8"), readFileSync(join(out, name), "utf8"), `${name} is stale: run scripts/publish-schema.sh`);
  }
});

test("the schemas declare JSON Schema 2020-12", () => {
  for (const name of readdirSync(SCHEMAS)) {
    assert.equal(JSON.parse(readFileSync(join(SCHEMAS, name), "utf8")).$schema, "https://json-schema.org/draft/2020-12/schema");
  }
});

test("valid minimal, full and agent-executor claims pass", () => {
  for (const claim of [minimal, full, agent, loadClaim("04-apis/examples/agent-executor-claim.yaml")]) {
    assert.deepEqual(claimProblems(validators, claim), [], claim.metadata.name);
  }
});

const rejected = [
  ["an invalid size", withSpec(minimal, { size: "xlarge" }), "spec.size: must be one of small, medium, large (enum)"],
  ["a missing nats.stream", withSpec(minimal, { nats: { consumer: "c" } }), "spec.nats.stream: is required (required)"],
  ["a missing image", (() => { const c = structuredClone(minimal); delete c.spec.image; return c; })(), "spec.image: is required (required)"],
  ["a missing AgentExecutor image", (() => { const c = structuredClone(agent); delete c.spec.image; return c; })(), "spec.image: is required (required)"],
  ["a wrongly typed field", withSpec(agent, { maxConcurrentJobs: "four" }), "spec.maxConcurrentJobs: must be integer (type)"],
  ["a wrongly typed list", withSpec(full, { imagePullSecrets: "ghcr-pull-secret" }), "spec.imagePullSecrets: must be array (type)"],
  ["an unknown field", withSpec(minimal, { replicas: 3 }), "spec.replicas: is not a field of this API (additionalProperties)"],
  ["an unknown nested field", withSpec(minimal, { nats: { stream: "S", consumer: "c", subject: "x" } }), "spec.nats.subject: is not a field of this API (additionalProperties)"],
  ["an AgentExecutor size out of the enum", withSpec(agent, { size: "tiny" }), "spec.size: must be one of small, medium, large (enum)"],
  ["too many env secretRefs for the init container's slots", withSpec(full, { secretRefs: { env: Array.from({ length: 9 }, (_, i) => ({ name: `V${i}`, valueFrom: { secretKeyRef: { name: "s", key: "k" } } })) } }), "spec.secretRefs.env: must NOT have more than 8 items (maxItems)"],
  ["an unknown kind", { ...structuredClone(minimal), kind: "EventDrivenServise" }, "apiVersion/kind: platform.bizmatters.io/v1alpha1/EventDrivenServise is not a platform API; known: platform.bizmatters.io/v1alpha1/AgentExecutor, platform.bizmatters.io/v1alpha1/EventDrivenService (kind)"],
];

for (const [what, claim, message] of rejected) {
  test(`a claim with ${what} fails with "${message}"`, () => {
    assert.ok(claimProblems(validators, claim).includes(message), JSON.stringify(claimProblems(validators, claim)));
  });
}

function cli(...files) {
  return spawnSync(join(REPO_ROOT, "scripts", "validate-claim.sh"), files, { encoding: "utf8" });
}

test("validate-claim.sh exits 0 for valid claims and prints one line per document", () => {
  const r = cli(join(REPO_ROOT, "platform/04-apis/examples/minimal-claim.yaml"), join(REPO_ROOT, "platform/04-apis/examples/full-claim.yaml"));
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /minimal-claim\.yaml: valid EventDrivenService echo-worker/);
});

test("validate-claim.sh exits 1 for an invalid claim and names the field and rule", () => {
  const dir = mkdtempSync(join(tmpdir(), "claims-"));
  const bad = join(dir, "bad.yaml");
  writeFileSync(bad, stringify(withSpec(minimal, { size: "huge" })));
  const r = cli(bad);
  assert.equal(r.status, 1);
  assert.equal(r.stderr.trim(), `${bad}: spec.size: must be one of small, medium, large (enum)`);
});

test("validate-claim.sh exits 2 without arguments and for an unreadable file", () => {
  assert.equal(cli().status, 2);
  const r = cli("/nonexistent/claim.yaml");
  assert.equal(r.status, 2);
  assert.match(r.stderr, /cannot read: no such file/);
});

test("platform/04-apis/README.md documents every XRD field with its default", () => {
  const readme = readFileSync(join(REPO_ROOT, "platform/04-apis/README.md"), "utf8");
  const rows = new Map(readme.split("\n").filter((l) => l.startsWith("| `")).map((l) => [l.split("|")[1].trim().replaceAll("`", ""), l]));
  const missing = [];
  const walk = (node, prefix) => {
    for (const [k, v] of Object.entries(node.properties ?? {})) {
      const path = prefix ? `${prefix}.${k}` : k;
      if (!prefix.includes("[]")) {
        const row = rows.get(path);
        if (!row) missing.push(`${path}: no row`);
        else if (v.default !== undefined && !row.includes(`\`${v.default}\``)) missing.push(`${path}: default ${v.default} not shown`);
      }
      if (v.properties) walk(v, path);
    }
  };
  for (const xrd of loadXrds()) walk(xrd.spec.versions[0].schema.openAPIV3Schema.properties.spec, "");
  assert.deepEqual(missing, []);
});
