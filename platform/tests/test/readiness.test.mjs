// What the first real deployment depends on in the rendered claims: claims become Ready from
// the conditions their composed kinds really carry, both Deployments have a startup probe,
// composed objects do not carry Argo CD's tracking label, API_TOKENS is wired from a secret.
import { test } from "node:test";
import assert from "node:assert/strict";
import { platformManifests } from "../lib/manifests.mjs";
import { compositeReady, composedReady, DEFAULT_READINESS, functionInput } from "../lib/render.mjs";
import { apiFor, loadClaim, renderClaim, withSpec } from "./helpers.mjs";

const CLAIMS = {
  agent: loadClaim("03-intelligence/agent-executor-claim.yaml"),
  tenantAgent: loadClaim("99-tenants/workload-example/agent-executor-claim.yaml"),
  minimal: loadClaim("04-apis/examples/minimal-claim.yaml"),
  full: loadClaim("04-apis/examples/full-claim.yaml"),
  agentEds: loadClaim("04-apis/examples/agent-executor-claim.yaml"),
};

const condition = (type, status = "True") => ({ type, status, lastTransitionTime: "2026-01-01T00:00:00Z" });

/** What the API server reports for each composed kind of a healthy deployment. */
function healthyObserved(rendered) {
  const status = {
    serviceaccount: undefined,
    deployment: { availableReplicas: 1, conditions: [condition("Available"), condition("Progressing")] },
    service: { loadBalancer: {} },
    scaledobject: { conditions: [condition("Ready"), condition("Active", "False"), condition("Fallback", "False")] },
    poddisruptionbudget: { currentHealthy: 1, conditions: [condition("DisruptionAllowed")] },
  };
  return Object.fromEntries(Object.entries(rendered).map(([name, obj]) => [name, { ...structuredClone(obj), status: status[name] }]));
}

for (const [label, claim] of Object.entries(CLAIMS)) {
  test(`${label}: the claim becomes Ready when its Deployment is Available and its ScaledObject Ready`, () => {
    const { composition } = apiFor(claim.kind);
    const r = renderClaim(claim);
    const names = Object.keys(r.resources);
    const observed = healthyObserved(r.resources);
    assert.equal(compositeReady(composition, names, observed), true);

    const starting = structuredClone(observed);
    starting.deployment.status.conditions = [condition("Available", "False"), condition("Progressing")];
    assert.equal(compositeReady(composition, names, starting), false, "not Ready while no pod is available");

    const noScaler = structuredClone(observed);
    noScaler.scaledobject.status.conditions = [condition("Ready", "False")];
    assert.equal(compositeReady(composition, names, noScaler), false, "not Ready while KEDA cannot scale");

    const missing = structuredClone(observed);
    delete missing.service;
    assert.equal(compositeReady(composition, names, missing), false, "not Ready before every object exists");
  });
}

test("without readiness checks (function-patch-and-transform's default Ready=True) the same healthy claim never becomes Ready", () => {
  const { composition } = apiFor("AgentExecutor");
  const bare = structuredClone(composition);
  for (const r of functionInput(bare).resources) delete r.readinessChecks;
  const r = renderClaim(CLAIMS.agent);
  assert.equal(compositeReady(bare, Object.keys(r.resources), healthyObserved(r.resources)), false);
  assert.equal(composedReady({ readinessChecks: DEFAULT_READINESS }, healthyObserved(r.resources).deployment), false, "a Deployment never has Ready");
});

test("every composed resource of both Compositions declares its readiness check", () => {
  for (const kind of ["AgentExecutor", "EventDrivenService"]) {
    for (const r of functionInput(apiFor(kind).composition).resources) {
      assert.ok(Array.isArray(r.readinessChecks) && r.readinessChecks.length > 0, `${kind} ${r.name}`);
    }
  }
});

test("both Deployments have a startup probe on /health that gives the service two minutes", () => {
  for (const claim of Object.values(CLAIMS)) {
    const c = renderClaim(claim).resources.deployment.spec.template.spec.containers[0];
    assert.ok(c.startupProbe, `${claim.kind} ${claim.metadata.name}`);
    assert.equal(c.startupProbe.httpGet.path, "/health");
    assert.ok(c.startupProbe.periodSeconds * c.startupProbe.failureThreshold >= 120);
  }
});

test("no composed object carries app.kubernetes.io/instance, the label Argo CD tracks with", () => {
  for (const claim of Object.values(CLAIMS)) {
    for (const [name, obj] of Object.entries(renderClaim(claim).resources)) {
      const labelSets = [obj.metadata.labels, obj.spec?.template?.metadata?.labels, obj.spec?.selector?.matchLabels, obj.spec?.selector];
      for (const labels of labelSets.filter(Boolean)) assert.ok(!("app.kubernetes.io/instance" in labels), `${claim.metadata.name} ${name}`);
    }
  }
  assert.equal(renderClaim(CLAIMS.agent).resources.deployment.metadata.labels["platform.bizmatters.io/claim"], "agent-executor");
});

test("AgentExecutor: API_TOKENS comes from the optional key API_TOKENS of apiTokensSecret", () => {
  const env = (claim) => renderClaim(claim).resources.deployment.spec.template.spec.containers[0].env;
  const tokens = env(CLAIMS.agent).find((e) => e.name === "API_TOKENS");
  assert.deepEqual(tokens.valueFrom.secretKeyRef, { name: "agent-executor-api-tokens", key: "API_TOKENS", optional: true });
  const custom = env(withSpec(CLAIMS.agent, { apiTokensSecret: "my-tokens" })).find((e) => e.name === "API_TOKENS");
  assert.equal(custom.valueFrom.secretKeyRef.name, "my-tokens");
  assert.equal(env(CLAIMS.agent).filter((e) => e.value === "placeholder" || e.valueFrom?.secretKeyRef?.name === "placeholder").length, 0, "every placeholder is patched");
});

test("EventDrivenService agent-executor example: API_TOKENS from an optional whole secret, which an ExternalSecret writes", () => {
  const c = renderClaim(CLAIMS.agentEds).resources.deployment.spec.template.spec.containers[0];
  assert.ok(c.envFrom.some((e) => e.secretRef.name === "agent-executor-api-tokens" && e.secretRef.optional === true));
  const secrets = platformManifests().filter(({ doc }) => doc.kind === "ExternalSecret" && doc.spec.target.name === "agent-executor-api-tokens");
  assert.ok(secrets.length >= 2, "in 03-intelligence and in the tenant workload example");
  for (const { doc } of secrets) assert.deepEqual(doc.spec.data.map((d) => d.secretKey), ["API_TOKENS"]);
});

test("every Namespace carries 002's name label (equal to its name) with layer and category", () => {
  const namespaces = platformManifests().filter(({ doc }) => doc.kind === "Namespace");
  assert.ok(namespaces.length >= 3);
  for (const { file, doc } of namespaces) {
    assert.equal(doc.metadata.labels?.name, doc.metadata.name, file);
    assert.ok(doc.metadata.labels.layer && doc.metadata.labels.category, file);
  }
});
