// Offline rendering of every example claim through its Composition, with assertions on the
// result, and the static checks of every patch path against the XRD and the target kind.
import { test } from "node:test";
import assert from "node:assert/strict";
import { strictErrors, schemaKnowsField } from "../lib/models.mjs";
import { compositeHasField } from "../lib/xrd.mjs";
import { expandPatches, functionInput, render, sprintf, UnsupportedFeature } from "../lib/render.mjs";
import { apiFor, compositions, loadClaim, renderClaim, withSpec, xrds } from "./helpers.mjs";

const CLAIMS = {
  minimal: loadClaim("04-apis/examples/minimal-claim.yaml"),
  full: loadClaim("04-apis/examples/full-claim.yaml"),
  agentEds: loadClaim("04-apis/examples/agent-executor-claim.yaml"),
  agent: loadClaim("03-intelligence/agent-executor-claim.yaml"),
  tenantAgent: loadClaim("99-tenants/workload-example/agent-executor-claim.yaml"),
};

const SIZES = {
  small: { requests: { cpu: "250m", memory: "512Mi" }, limits: { cpu: "1000m", memory: "2Gi" } },
  medium: { requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "2000m", memory: "4Gi" } },
  large: { requests: { cpu: "1000m", memory: "2Gi" }, limits: { cpu: "4000m", memory: "8Gi" } },
};

const main = (r) => r.resources.deployment.spec.template.spec.containers[0];
const inits = (r) => r.resources.deployment.spec.template.spec.initContainers ?? [];

for (const [label, claim] of Object.entries(CLAIMS)) {
  test(`${label} claim renders ServiceAccount, Deployment, Service, ScaledObject and PDB, each valid against its kind`, () => {
    const r = renderClaim(claim);
    assert.deepEqual(Object.keys(r.resources).sort(), ["deployment", "poddisruptionbudget", "scaledobject", "service", "serviceaccount"]);
    for (const [name, obj] of Object.entries(r.resources)) {
      assert.deepEqual(strictErrors(obj), [], name);
      assert.equal(obj.metadata.namespace, claim.metadata.namespace, name);
    }
    const { deployment, service, scaledobject, serviceaccount, poddisruptionbudget } = r.resources;
    assert.equal(deployment.metadata.name, claim.metadata.name);
    assert.equal(serviceaccount.metadata.name, claim.metadata.name);
    assert.equal(deployment.spec.template.spec.serviceAccountName, claim.metadata.name);
    assert.equal(serviceaccount.automountServiceAccountToken, false);
    assert.equal(deployment.spec.template.spec.automountServiceAccountToken, false);
    assert.equal(deployment.spec.replicas, undefined, "KEDA owns the replica count");
    const podLabels = deployment.spec.template.metadata.labels;
    for (const selector of [deployment.spec.selector.matchLabels, service.spec.selector, poddisruptionbudget.spec.selector.matchLabels]) {
      for (const [k, v] of Object.entries(selector)) assert.equal(podLabels[k], v, `selector ${k}`);
    }
    assert.equal(scaledobject.metadata.name, `${claim.metadata.name}-scaler`);
    assert.equal(scaledobject.spec.scaleTargetRef.name, deployment.metadata.name);
    assert.equal(main(r).image, claim.spec.image);
  });
}

test("security context: non-root uid 1000, no privilege escalation, all capabilities dropped, RuntimeDefault seccomp", () => {
  for (const claim of Object.values(CLAIMS)) {
    const pod = renderClaim(claim).resources.deployment.spec.template.spec;
    assert.deepEqual(
      { nonRoot: pod.securityContext.runAsNonRoot, uid: pod.securityContext.runAsUser, seccomp: pod.securityContext.seccompProfile.type },
      { nonRoot: true, uid: 1000, seccomp: "RuntimeDefault" },
    );
    for (const c of [...pod.containers, ...(pod.initContainers ?? [])]) {
      assert.equal(c.securityContext.allowPrivilegeEscalation, false, c.name);
      assert.deepEqual(c.securityContext.capabilities.drop, ["ALL"], c.name);
    }
  }
});

test("image pull policy is Always for :latest and untagged images, IfNotPresent for versions and digests", () => {
  const cases = {
    "ghcr.io/o/app:latest": "Always",
    "ghcr.io/o/app": "Always",
    "localhost:5000/app": "Always",
    "nginx": "Always",
    "ghcr.io/o/app:v1.2.3": "IfNotPresent",
    "localhost:5000/app:1.0": "IfNotPresent",
    "ghcr.io/o/app@sha256:0123456789abcdef": "IfNotPresent",
  };
  for (const claim of [CLAIMS.full, CLAIMS.agent]) {
    for (const [image, policy] of Object.entries(cases)) {
      const r = renderClaim(withSpec(claim, { image }));
      assert.equal(main(r).imagePullPolicy, policy, `${claim.kind} ${image}`);
      assert.equal(inits(r)[0].imagePullPolicy, policy, `${claim.kind} init ${image}`);
      assert.equal(inits(r)[0].image, image);
    }
  }
});

test("sizes small, medium and large map to the size table, and no size means medium", () => {
  for (const claim of [CLAIMS.minimal, CLAIMS.agent]) {
    for (const size of ["small", "medium", "large", undefined]) {
      const c = structuredClone(claim);
      if (size) c.spec.size = size;
      else delete c.spec.size;
      const r = renderClaim(c);
      assert.deepEqual(main(r).resources, SIZES[size ?? "medium"], `${claim.kind} ${size}`);
    }
  }
  const withInit = renderClaim(withSpec(CLAIMS.full, { size: "small" }));
  assert.deepEqual(inits(withInit)[0].resources, SIZES.small, "the optional init container follows the size too");
});

test("NATS variables come from the claim, with the URL defaulted", () => {
  const env = (r) => Object.fromEntries(main(r).env.filter((e) => e.value !== undefined).map((e) => [e.name, e.value]));
  assert.deepEqual(env(renderClaim(CLAIMS.minimal)), { NATS_URL: "nats://nats.nats.svc:4222", NATS_STREAM_NAME: "ECHO", NATS_CONSUMER_GROUP: "echo-workers" });
  const agentEnv = env(renderClaim(CLAIMS.agent));
  assert.equal(agentEnv.NATS_STREAM_NAME, "AGENT_EXECUTION");
  assert.equal(agentEnv.NATS_CONSUMER_GROUP, "agent-executor-workers");
  assert.equal(agentEnv.NATS_URL, "nats://nats.nats.svc:4222");
});

test("minimal claim: no secrets, no envFrom, no pull secrets, no init container", () => {
  const r = renderClaim(CLAIMS.minimal);
  assert.deepEqual(main(r).env.map((e) => e.name), ["NATS_URL", "NATS_STREAM_NAME", "NATS_CONSUMER_GROUP"]);
  assert.equal(main(r).envFrom, undefined);
  assert.equal(r.resources.deployment.spec.template.spec.imagePullSecrets, undefined);
  assert.deepEqual(inits(r), []);
});

test("full claim: secretRefs.env appended as secretKeyRefs, secretRefs.envFrom as envFrom, pull secrets set", () => {
  const r = renderClaim(CLAIMS.full);
  assert.deepEqual(main(r).env.slice(3), CLAIMS.full.spec.secretRefs.env);
  assert.deepEqual(main(r).envFrom, CLAIMS.full.spec.secretRefs.envFrom);
  assert.deepEqual(r.resources.deployment.spec.template.spec.imagePullSecrets, [{ name: "ghcr-pull-secret" }]);
});

test("the optional init container exists only when asked, with the same image and environment as the main container", () => {
  const r = renderClaim(CLAIMS.full);
  assert.equal(inits(r).length, 1);
  const init = inits(r)[0];
  assert.equal(init.name, "migrate");
  assert.deepEqual(init.command, ["/app/bin/migrate"]);
  assert.deepEqual(init.args, ["--wait-for-db", "60s"]);
  assert.equal(init.image, main(r).image);
  assert.deepEqual(init.env, main(r).env);
  assert.deepEqual(init.envFrom, main(r).envFrom);
  const noInit = structuredClone(CLAIMS.full);
  delete noInit.spec.initContainer;
  assert.deepEqual(inits(renderClaim(noInit)), []);
  const defaultName = withSpec(CLAIMS.minimal, { initContainer: { command: ["/bin/true"] } });
  assert.equal(inits(renderClaim(defaultName))[0].name, "init");
});

test("probes: /health liveness 10/10/5/3 and /ready readiness 5/5/3/2 on port 8080", () => {
  for (const claim of [CLAIMS.minimal, CLAIMS.agent]) {
    const c = main(renderClaim(claim));
    const port = (p) => (p.httpGet.port === "http" ? 8080 : p.httpGet.port);
    assert.deepEqual(
      [c.livenessProbe.httpGet.path, port(c.livenessProbe), c.livenessProbe.initialDelaySeconds, c.livenessProbe.periodSeconds, c.livenessProbe.timeoutSeconds, c.livenessProbe.failureThreshold],
      ["/health", 8080, 10, 10, 5, 3],
    );
    assert.deepEqual(
      [c.readinessProbe.httpGet.path, port(c.readinessProbe), c.readinessProbe.initialDelaySeconds, c.readinessProbe.periodSeconds, c.readinessProbe.timeoutSeconds, c.readinessProbe.failureThreshold],
      ["/ready", 8080, 5, 5, 3, 2],
    );
    assert.ok(c.ports.some((p) => p.name === "http" && p.containerPort === 8080));
  }
});

test("Service: ClusterIP on 8080 to the http port", () => {
  for (const claim of [CLAIMS.minimal, CLAIMS.agent]) {
    const svc = renderClaim(claim).resources.service;
    assert.equal(svc.spec.type, "ClusterIP");
    assert.equal(svc.spec.ports[0].port, 8080);
    assert.ok([8080, "http"].includes(svc.spec.ports[0].targetPort));
  }
});

test("ScaledObject: nats-jetstream on nats-headless, account $G by default or from the claim, lag 5, 1 to 10 replicas", () => {
  const so = (claim) => renderClaim(claim).resources.scaledobject;
  const min = so(CLAIMS.minimal);
  assert.deepEqual([min.spec.minReplicaCount, min.spec.maxReplicaCount], [1, 10]);
  assert.deepEqual(min.spec.triggers[0], {
    type: "nats-jetstream",
    metadata: {
      natsServerMonitoringEndpoint: "nats-headless.nats.svc.cluster.local:8222",
      account: "$G",
      stream: "ECHO",
      consumer: "echo-workers",
      lagThreshold: "5",
      activationLagThreshold: "0",
    },
  });
  const custom = so(withSpec(CLAIMS.minimal, { nats: { stream: "S", consumer: "c", account: "APP" } }));
  assert.equal(custom.spec.triggers[0].metadata.account, "APP");
  const agent = so(CLAIMS.agent).spec.triggers[0].metadata;
  assert.deepEqual([agent.stream, agent.consumer, agent.account, agent.lagThreshold], ["AGENT_EXECUTION", "agent-executor-workers", "$G", "5"]);
  assert.equal(so(withSpec(CLAIMS.agent, { natsAccount: "APP" })).spec.triggers[0].metadata.account, "APP");
});

test("AgentExecutor: migrations init container, secrets mapped from the connection-secret keys, drain window", () => {
  const r = renderClaim(CLAIMS.tenantAgent);
  const init = inits(r)[0];
  assert.equal(init.name, "run-migrations");
  assert.deepEqual(init.command, ["/app/scripts/ci/run-migrations.sh"]);
  const ref = (c, name) => c.env.find((e) => e.name === name).valueFrom.secretKeyRef;
  const expected = {
    POSTGRES_HOST: ["agent-executor-db-conn", "endpoint"], POSTGRES_PORT: ["agent-executor-db-conn", "port"],
    POSTGRES_USER: ["agent-executor-db-conn", "username"], POSTGRES_PASSWORD: ["agent-executor-db-conn", "password"],
    POSTGRES_DB: ["agent-executor-db-conn", "database"], DRAGONFLY_HOST: ["agent-executor-cache-conn", "endpoint"],
    DRAGONFLY_PORT: ["agent-executor-cache-conn", "port"], DRAGONFLY_PASSWORD: ["agent-executor-cache-conn", "password"],
    OPENAI_API_KEY: ["agent-executor-llm-keys", "OPENAI_API_KEY"], ANTHROPIC_API_KEY: ["agent-executor-llm-keys", "ANTHROPIC_API_KEY"],
  };
  for (const [name, [secret, key]] of Object.entries(expected)) {
    assert.deepEqual([ref(main(r), name).name, ref(main(r), name).key], [secret, key], name);
    if (name.startsWith("POSTGRES_")) assert.deepEqual([ref(init, name).name, ref(init, name).key], [secret, key], `init ${name}`);
  }
  const drain = Number(main(r).env.find((e) => e.name === "DRAIN_TIMEOUT_SECONDS").value);
  assert.ok(r.resources.deployment.spec.template.spec.terminationGracePeriodSeconds > drain + 10, "grace period exceeds the drain timeout with margin");
  assert.equal(r.resources.poddisruptionbudget.spec.maxUnavailable, 1);
  assert.ok(init.command.join(" ").includes("run-migrations.sh"), "the init container migrates");
  assert.equal(main(r).env.find((e) => e.name === "MIGRATE_ON_START")?.value, "false", "so the service does not migrate again");
  const defaults = renderClaim(CLAIMS.agent);
  assert.equal(ref(main(defaults), "POSTGRES_HOST").name, "agent-executor-postgres");
  assert.equal(main(renderClaim(withSpec(CLAIMS.agent, { maxConcurrentJobs: 8 }))).env.find((e) => e.name === "MAX_CONCURRENT_JOBS").value, "8");
});

test("a Required patch without a value leaves its resource out, as function-patch-and-transform does", () => {
  const { xrd, composition } = apiFor("EventDrivenService");
  const noStream = withSpec(CLAIMS.minimal, { nats: { consumer: "c" } });
  const r = render(xrd, composition, noStream);
  assert.deepEqual(r.skipped.sort(), ["deployment", "scaledobject"]);
});

// Static checks of every patch path.

function pathProblems(xrd, composition) {
  const input = functionInput(composition);
  const problems = [];
  for (const r of input.resources) {
    for (const p of expandPatches(input, r)) {
      const froms = p.type === "CombineFromComposite" ? p.combine.variables.map((v) => v.fromFieldPath) : [p.fromFieldPath];
      if (p.type === "ToCompositeFieldPath") {
        if (!schemaKnowsField(r.base, p.fromFieldPath)) problems.push(`${r.name}: ${p.fromFieldPath} is not a field of ${r.base.kind}`);
        if (!compositeHasField(xrd, p.toFieldPath)) problems.push(`${r.name}: ${p.toFieldPath} is not in ${xrd.metadata.name}`);
        continue;
      }
      for (const f of froms) if (!compositeHasField(xrd, f)) problems.push(`${r.name}: ${f} is not in ${xrd.metadata.name}`);
      if (!schemaKnowsField(r.base, p.toFieldPath)) problems.push(`${r.name}: ${p.toFieldPath} is not a field of ${r.base.kind}`);
    }
  }
  return problems;
}

for (const [kind, composition] of Object.entries(compositions)) {
  test(`${composition.metadata.name}: every fromFieldPath exists in the XRD and every toFieldPath in its resource's kind`, () => {
    const xrd = Object.values(xrds).find((x) => x.spec.names.kind === kind);
    assert.ok(xrd, `no XRD for ${kind}`);
    assert.deepEqual(pathProblems(xrd, composition), []);
  });
}

const deploymentPatches = (c) => c.spec.pipeline[0].input.resources.find((r) => r.name === "deployment").patches;

test("a patch from a field the XRD lacks, or to a field the kind lacks, fails the path check", () => {
  const { xrd, composition } = apiFor("EventDrivenService");
  const broken = structuredClone(composition);
  deploymentPatches(broken).push(
    { type: "FromCompositeFieldPath", fromFieldPath: "spec.replicas", toFieldPath: "spec.replicas" },
    { type: "FromCompositeFieldPath", fromFieldPath: "spec.image", toFieldPath: "spec.template.spec.containers[0].imageName" },
  );
  assert.deepEqual(pathProblems(xrd, broken), [
    `deployment: spec.replicas is not in ${xrd.metadata.name}`,
    "deployment: spec.template.spec.containers[0].imageName is not a field of Deployment",
  ]);
});

test("the renderer rejects a feature it does not model instead of ignoring it", () => {
  const { xrd, composition } = apiFor("EventDrivenService");
  const broken = structuredClone(composition);
  deploymentPatches(broken)[0] = { type: "FromCompositeFieldPath", fromFieldPath: "spec.image", toFieldPath: "metadata.name", transforms: [{ type: "math", math: { multiply: 2 } }] };
  assert.throws(() => render(xrd, broken, CLAIMS.minimal), UnsupportedFeature);
  const twoSteps = structuredClone(composition);
  twoSteps.spec.pipeline.push(structuredClone(twoSteps.spec.pipeline[0]));
  assert.throws(() => render(xrd, twoSteps, CLAIMS.minimal), /more than one step/);
});

test("the init container has one slot per secretRefs entry the XRD allows", () => {
  const { xrd, composition } = apiFor("EventDrivenService");
  const slots = (re) => new Set(deploymentPatches(composition).map((p) => p.toFieldPath?.match(re)?.[1]).filter(Boolean)).size;
  const secretRefs = xrd.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.secretRefs.properties;
  assert.equal(slots(/^spec\.template\.spec\.initContainers\[0\]\.env\[(\d+)\]\.valueFrom/), secretRefs.env.maxItems);
  assert.equal(slots(/^spec\.template\.spec\.initContainers\[0\]\.envFrom\[(\d+)\]/), secretRefs.envFrom.maxItems);
  const fullSlots = withSpec(CLAIMS.full, {
    secretRefs: {
      env: Array.from({ length: 8 }, (_, i) => ({ name: `V${i}`, valueFrom: { secretKeyRef: { name: `s${i}`, key: "k", optional: i % 2 === 0 } } })),
      envFrom: Array.from({ length: 4 }, (_, i) => ({ secretRef: { name: `all${i}` } })),
    },
  });
  const r = renderClaim(fullSlots);
  assert.deepEqual(inits(r)[0].env, main(r).env);
  assert.deepEqual(inits(r)[0].envFrom, main(r).envFrom);
});

test("sprintf follows Go for the verbs Compositions use", () => {
  assert.equal(sprintf("%s-scaler", ["a"]), "a-scaler");
  assert.equal(sprintf("%.0s%s", ["guard", "img"]), "img");
  assert.equal(sprintf("%.0sNATS_URL", ["guard"]), "NATS_URL");
  assert.equal(sprintf("%[2]s", ["a", "b"]), "b");
  assert.equal(sprintf("%.0s%v", ["g", true]), "true");
});
