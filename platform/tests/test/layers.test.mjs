// The GitOps wiring and the operational settings the seeds and the issue fix: layer
// Applications and waves, NATS and its streams, secrets, namespace, network policies.
import { test } from "node:test";
import assert from "node:assert/strict";
import { platformManifests } from "../lib/manifests.mjs";

const all = platformManifests();
const find = (pred) => all.filter(({ file, doc }) => pred(doc, file)).map((m) => m.doc);
const one = (pred, what) => {
  const found = find(pred);
  assert.equal(found.length, 1, `exactly one ${what}`);
  return found[0];
};
const wave = (doc) => Number(doc.metadata.annotations?.["argocd.argoproj.io/sync-wave"] ?? 0);
const app = (name) => one((d) => d.kind === "Application" && d.metadata.name === name, `Application ${name}`);

test("layer Applications sync 01-foundation, 04-apis and 03-intelligence in waves 0, 1, 3 with prune and selfHeal", () => {
  const layers = { foundation: ["platform/01-foundation", 0], apis: ["platform/04-apis", 1], intelligence: ["platform/03-intelligence", 3] };
  for (const [name, [path, w]] of Object.entries(layers)) {
    const a = app(name);
    assert.equal(a.spec.source.path, path);
    assert.equal(wave(a), w, name);
    assert.deepEqual(a.spec.syncPolicy.automated, { prune: true, selfHeal: true }, name);
  }
  assert.match(app("apis").spec.source.directory.exclude, /schemas/);
  assert.match(app("apis").spec.source.directory.exclude, /examples/);
});

test("NATS: official chart, JetStream on, 512Mi/250m, sync-wave 0, monitoring on 8222", () => {
  const nats = app("nats");
  assert.equal(nats.spec.source.repoURL, "https://nats-io.github.io/k8s/helm/charts/");
  assert.equal(nats.spec.source.chart, "nats");
  assert.equal(wave(nats), 0);
  const values = nats.spec.source.helm.valuesObject;
  assert.equal(values.config.jetstream.enabled, true);
  assert.equal(values.config.jetstream.fileStore.enabled, true);
  assert.equal(values.config.monitor.port, 8222);
  assert.deepEqual(values.container.merge.resources.requests, { cpu: "250m", memory: "512Mi" });
  assert.equal(nats.spec.destination.namespace, "nats");
});

test("stream-init Job: nats-box creates AGENT_EXECUTION and AGENT_STATUS with the seed's settings, only when absent", () => {
  const job = one((d, f) => d.kind === "Job" && f.includes("01-foundation"), "stream-init Job");
  const c = job.spec.template.spec.containers[0];
  assert.match(c.image, /^natsio\/nats-box:/);
  const script = c.command.join("\n");
  for (const flag of ["--retention limits", "--max-age=24h", "--storage file", "--replicas 1", "--discard old", "--max-msgs=-1"]) {
    assert.ok(script.includes(flag), flag);
  }
  assert.match(script, /ensure_stream AGENT_EXECUTION "agent\.execute\.\*"/);
  assert.match(script, /ensure_stream AGENT_STATUS "agent\.status\.\*"/);
  assert.match(script, /if nats stream info "\$name" .*\n.*left unchanged/, "an existing stream is left alone");
  assert.ok(wave(job) > wave(app("nats")), "runs after the NATS Application");
  assert.equal(job.metadata.annotations["argocd.argoproj.io/hook-delete-policy"], "BeforeHookCreation");
});

test("ClusterSecretStore aws-parameter-store reads ParameterStore", () => {
  const store = one((d) => d.kind === "ClusterSecretStore", "ClusterSecretStore");
  assert.equal(store.metadata.name, "aws-parameter-store");
  assert.equal(store.spec.provider.aws.service, "ParameterStore");
});

test("intelligence layer: namespace labels, ExternalSecrets on /zerotouch/prod/agent-executor, ESO pull secret, claim", () => {
  const ns = one((d, f) => d.kind === "Namespace" && f.includes("03-intelligence"), "namespace");
  assert.deepEqual([ns.metadata.name, ns.metadata.labels], ["intelligence-deepagents", { layer: "intelligence", category: "deepagents", name: "intelligence-deepagents" }]);
  const es = find((d, f) => d.kind === "ExternalSecret" && f.includes("03-intelligence"));
  assert.deepEqual(es.map((e) => e.metadata.name).sort(), ["agent-executor-api-tokens", "agent-executor-dragonfly", "agent-executor-llm-keys", "agent-executor-postgres", "ghcr-pull-secret"]);
  for (const e of es) {
    assert.equal(e.spec.secretStoreRef.name, "aws-parameter-store");
    for (const d of e.spec.data) assert.match(d.remoteRef.key, /^\/zerotouch\/prod\/agent-executor\//);
  }
  const keys = (name) => es.find((e) => e.metadata.name === name).spec.data.map((d) => d.secretKey).sort();
  assert.deepEqual(keys("agent-executor-postgres"), ["database", "endpoint", "password", "port", "username"], "the connection-secret contract");
  assert.deepEqual(keys("agent-executor-dragonfly"), ["endpoint", "password", "port"]);
  assert.equal(es.find((e) => e.metadata.name === "ghcr-pull-secret").spec.target.template.type, "kubernetes.io/dockerconfigjson");
  const claim = one((d, f) => d.kind === "AgentExecutor" && f.includes("03-intelligence"), "AgentExecutor claim");
  assert.ok(wave(claim) > Math.max(...es.map(wave)), "the claim syncs after its secrets");
});

test("tenant registry: ApplicationSet over tenants/*/config.yaml; workload waves claims 0, stream 1, deployment 2", () => {
  const set = one((d) => d.kind === "ApplicationSet" && d.metadata.name === "tenants", "ApplicationSet tenants");
  assert.equal(set.spec.generators[0].git.files[0].path, "tenants/*/config.yaml");
  for (const key of ["tenant", "repoURL", "targetRevision", "path", "namespace"]) assert.match(JSON.stringify(set.spec.template), new RegExp(`\\.${key}\\b`));
  const w = (kind) => wave(one((d, f) => d.kind === kind && f.includes("workload-example"), kind));
  assert.deepEqual([w("PostgresInstance"), w("DragonflyInstance"), w("Job"), w("AgentExecutor")], [0, 0, 1, 2]);
});

test("network policies: default deny, agent-executor egress only to DNS, NATS, PostgreSQL, Dragonfly and HTTPS to public addresses", () => {
  const policies = find((d) => d.kind === "NetworkPolicy");
  const deny = policies.find((p) => p.metadata.name === "default-deny-all");
  assert.deepEqual([deny.spec.podSelector, deny.spec.policyTypes], [{}, ["Ingress", "Egress"]]);
  const egress = policies.find((p) => p.metadata.name === "agent-executor-egress");
  const ports = egress.spec.egress.map((rule) => rule.ports.map((p) => `${p.protocol}/${p.port}`).join(","));
  assert.deepEqual(ports, ["UDP/53,TCP/53", "TCP/4222", "TCP/5432,TCP/6379", "TCP/443"]);
  const https = egress.spec.egress[3].to[0].ipBlock;
  for (const cidr of ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"]) assert.ok(https.except.includes(cidr), cidr);
  assert.deepEqual(egress.spec.podSelector.matchLabels, { "platform.bizmatters.io/api": "agent-executor" });
});

test("Crossplane may manage exactly the kinds the Compositions render", () => {
  const role = one((d) => d.kind === "ClusterRole", "ClusterRole");
  assert.equal(role.metadata.labels["rbac.crossplane.io/aggregate-to-crossplane"], "true");
  const granted = role.rules.flatMap((r) => r.resources.map((res) => `${r.apiGroups[0]}/${res}`)).sort();
  const composed = find((d) => d.kind === "Composition")
    .flatMap((c) => c.spec.pipeline[0].input.resources.map((r) => r.base))
    .map((b) => `${b.apiVersion.includes("/") ? b.apiVersion.split("/")[0] : ""}/${b.kind.toLowerCase()}s`);
  assert.deepEqual([...new Set(composed)].sort(), granted);
});
