// The rendered agent-executor Deployments set only variables the service reads. The one list
// is src/main/resources/env-vars.json, which the service's Settings is tested against too.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT, platformManifests } from "../lib/manifests.mjs";
import { loadClaim, renderClaim } from "./helpers.mjs";

const SERVICE_VARIABLES = new Set(
  JSON.parse(readFileSync(join(REPO_ROOT, "src/main/resources/env-vars.json"), "utf8")).variables.map((v) => v.name),
);

const agentClaims = {
  "03-intelligence (AgentExecutor, ESO secrets)": loadClaim("03-intelligence/agent-executor-claim.yaml"),
  "99-tenants workload example (AgentExecutor, Crossplane secrets)": loadClaim("99-tenants/workload-example/agent-executor-claim.yaml"),
  "04-apis example (EventDrivenService)": loadClaim("04-apis/examples/agent-executor-claim.yaml"),
};

/** Secrets mounted whole (envFrom) into agent-executor, with the keys their ExternalSecrets write. */
function envFromKeys(pod) {
  const secrets = platformManifests().filter(({ doc }) => doc.kind === "ExternalSecret").map(({ doc }) => doc);
  return pod.containers.concat(pod.initContainers ?? []).flatMap((c) => c.envFrom ?? []).flatMap(({ secretRef }) => {
    const es = secrets.find((s) => s.spec.target.name === secretRef.name);
    assert.ok(es, `no ExternalSecret writes ${secretRef.name}, so its keys are unknown`);
    return es.spec.data.map((d) => d.secretKey);
  });
}

/** Every variable name a pod sets: env names (plain and secretKeyRef) and envFrom keys. */
export function variableNames(pod) {
  return [...pod.containers, ...(pod.initContainers ?? [])].flatMap((c) => (c.env ?? []).map((e) => e.name)).concat(envFromKeys(pod));
}

export const unknownVariables = (names) => [...new Set(names)].filter((n) => !SERVICE_VARIABLES.has(n));

test("env-vars.json lists the variables the platform relies on", () => {
  for (const name of ["POSTGRES_HOST", "DRAGONFLY_HOST", "NATS_URL", "NATS_STREAM_NAME", "NATS_CONSUMER_GROUP", "DRAIN_TIMEOUT_SECONDS"]) {
    assert.ok(SERVICE_VARIABLES.has(name), name);
  }
});

for (const [label, claim] of Object.entries(agentClaims)) {
  test(`${label}: every variable of the rendered main and init containers is one agent-executor reads`, () => {
    const pod = renderClaim(claim).resources.deployment.spec.template.spec;
    const names = variableNames(pod);
    assert.ok(names.includes("POSTGRES_PASSWORD") && names.includes("NATS_URL"), "the render sets the core variables");
    assert.deepEqual(unknownVariables(names), []);
  });
}

test("a variable agent-executor does not read is caught, in env and in an envFrom secret", () => {
  const pod = structuredClone(renderClaim(agentClaims["03-intelligence (AgentExecutor, ESO secrets)"]).resources.deployment.spec.template.spec);
  pod.initContainers[0].env.push({ name: "POSTGRES_HOSTNAME", value: "x" });
  assert.deepEqual(unknownVariables(variableNames(pod)), ["POSTGRES_HOSTNAME"]);
  assert.deepEqual(unknownVariables(["OPENAI_KEY"]), ["OPENAI_KEY"]);
});

test("the drain timeout the Composition sets is the service's default, and the grace period exceeds it", () => {
  const doc = JSON.parse(readFileSync(join(REPO_ROOT, "src/main/resources/env-vars.json"), "utf8"));
  const drainDefault = Number(doc.variables.find((v) => v.name === "DRAIN_TIMEOUT_SECONDS").default);
  const pod = renderClaim(agentClaims["03-intelligence (AgentExecutor, ESO secrets)"]).resources.deployment.spec.template.spec;
  const drain = Number(pod.containers[0].env.find((e) => e.name === "DRAIN_TIMEOUT_SECONDS").value);
  assert.equal(drain, drainDefault);
  assert.ok(pod.terminationGracePeriodSeconds > drain);
});
