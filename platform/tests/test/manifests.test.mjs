// Every manifest under platform/ against the published schema of its kind, strictly (an
// unknown field fails). Claims of the platform's own APIs are checked against the schemas
// published from the XRDs; claims of 05-databases against that API's contract below.
import { test } from "node:test";
import assert from "node:assert/strict";
import { platformManifests } from "../lib/manifests.mjs";
import { modelFor, strictErrors } from "../lib/models.mjs";
import { loadValidators, claimProblems } from "../lib/claims.mjs";

const validators = loadValidators();
const manifests = platformManifests();

/**
 * The 05-databases claims (their XRDs live in that layer, outside this repository): the
 * fields the workload example relies on. Their connection secret is {claim}-conn.
 */
const DATABASE_CLAIMS = {
  "database.bizmatters.io/v1alpha1/PostgresInstance": { size: ["small", "medium", "large"], fields: ["size", "version", "storageGB"] },
  "database.bizmatters.io/v1alpha1/DragonflyInstance": { size: ["small", "medium", "large"], fields: ["size", "storageGB"] },
};

/** Tenant registry entries (99-tenants): the keys the ApplicationSet template reads. */
const TENANT_KEYS = ["tenant", "repoURL", "targetRevision", "path", "namespace"];

function problems({ file, doc }) {
  const key = `${doc.apiVersion}/${doc.kind}`;
  if (validators.has(key)) return claimProblems(validators, doc);
  if (DATABASE_CLAIMS[key]) {
    const c = DATABASE_CLAIMS[key];
    return [
      ...(c.size.includes(doc.spec?.size) ? [] : [`spec.size must be one of ${c.size}`]),
      ...Object.keys(doc.spec ?? {}).filter((f) => !c.fields.includes(f)).map((f) => `spec.${f} is not a field of ${doc.kind}`),
    ];
  }
  if (!doc.apiVersion && file.includes("99-tenants/registry-example/")) {
    const keys = Object.keys(doc);
    return [
      ...TENANT_KEYS.filter((k) => typeof doc[k] !== "string" || !doc[k]).map((k) => `${k} is required`),
      ...keys.filter((k) => !TENANT_KEYS.includes(k)).map((k) => `${k} is not a tenant key`),
    ];
  }
  return strictErrors(doc);
}

for (const m of manifests) {
  const label = m.doc.kind ? `${m.doc.kind} ${m.doc.metadata?.name}` : "tenant config";
  test(`${m.file}: ${label} is valid against its kind's schema`, () => {
    assert.deepEqual(problems(m), []);
  });
}

test("every manifest kind has a schema: published model, platform API or documented contract", () => {
  const orphans = manifests.filter(
    ({ file, doc }) =>
      !modelFor(doc) &&
      !validators.has(`${doc.apiVersion}/${doc.kind}`) &&
      !DATABASE_CLAIMS[`${doc.apiVersion}/${doc.kind}`] &&
      !(!doc.apiVersion && file.includes("99-tenants/registry-example/")),
  );
  assert.deepEqual(orphans.map((o) => o.file), []);
});

/** Manifests plus the resources inside Composition bases, for the break-a-copy tests. */
const everything = manifests.flatMap(({ doc }) =>
  doc.kind === "Composition" ? [doc, ...doc.spec.pipeline[0].input.resources.map((r) => r.base)] : [doc],
);
const sample = (kind) => structuredClone(everything.find((d) => d.kind === kind));

test("a broken Deployment inside a Composition base is rejected: wrong type and unknown field", () => {
  const composition = sample("Composition");
  const base = composition.spec.pipeline[0].input.resources.find((r) => r.base.kind === "Deployment").base;
  assert.deepEqual(strictErrors(base), []);
  base.spec.template.spec.terminationGracePeriodSeconds = "forty";
  base.spec.template.spec.containers[0].imagePullPolicyy = "Always";
  const errors = strictErrors(base).join("\n");
  assert.match(errors, /terminationGracePeriodSeconds must be integer/);
  assert.match(errors, /containers\[0\]\.imagePullPolicyy is not a field of Deployment/);
});

test("broken manifests of each third-party kind are rejected", () => {
  const cases = [
    ["ScaledObject", (d) => { d.spec.minReplicaCount = "one"; }, /minReplicaCount must be integer/],
    ["ExternalSecret", (d) => { d.spec.secretStoreRef.kindd = "ClusterSecretStore"; }, /secretStoreRef\.kindd is not a field/],
    ["ClusterSecretStore", (d) => { d.spec.provider.aws.service = 7; }, /service must be string/],
    ["Application", (d) => { d.spec.syncPolicy.automated.prune = "yes"; }, /prune must be boolean/],
    ["ApplicationSet", (d) => { d.spec.generators[0].git.filez = []; }, /filez is not a field/],
    ["CompositeResourceDefinition", (d) => { d.spec.claimNames = "AgentExecutor"; }, /claimNames must be object/],
    ["Job", (d) => { d.spec.backoffLimit = "six"; }, /backoffLimit must be integer/],
    ["NetworkPolicy", (d) => { d.spec.podSelectorr = {}; }, /podSelectorr is not a field/],
    ["Namespace", (d) => { d.metadata.labels.layer = 3; }, /labels\/layer must be string/],
  ];
  for (const [kind, breakIt, expected] of cases) {
    const doc = sample(kind);
    breakIt(doc);
    assert.match(strictErrors(doc).join("\n"), expected, kind);
  }
});

test("a manifest of a kind with no published schema is reported, not passed", () => {
  assert.throws(() => strictErrors({ apiVersion: "example.com/v1", kind: "Gadget", metadata: { name: "x" } }), /no published schema for example\.com\/v1\/Gadget/);
});

test("broken database claim and tenant config are rejected", () => {
  const pg = structuredClone(manifests.find((m) => m.doc.kind === "PostgresInstance"));
  pg.doc.spec.size = "huge";
  assert.deepEqual(problems(pg), ["spec.size must be one of small,medium,large"]);
  const tenant = structuredClone(manifests.find((m) => m.file.includes("registry-example") && !m.doc.apiVersion));
  delete tenant.doc.path;
  tenant.doc.branch = "main";
  assert.deepEqual(problems(tenant), ["path is required", "branch is not a tenant key"]);
});
