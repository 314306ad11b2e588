// Argo CD settings the layers depend on: the Application health check that makes sync waves
// between layer Applications wait (run here with a Lua VM), annotation tracking, a retry policy
// on every Application, and the NATS storage class an installer without a default class sets.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PLATFORM, REPO_ROOT, loadYamlFile, platformManifests } from "../lib/manifests.mjs";
import { strictErrors } from "../lib/models.mjs";
import { renderApplicationSet } from "../lib/templates.mjs";
import { runHealthScript } from "../lib/lua.mjs";

const HEALTH_KEY = "resource.customizations.health.argoproj.io_Application";
const bootstrapCm = () => loadYamlFile(join(PLATFORM, "bootstrap/argocd-cm.yaml"))[0];
const readme = readFileSync(join(PLATFORM, "README.md"), "utf8");
const manifests = platformManifests();

test("bootstrap ships argocd-cm with the Application health check and annotation tracking", () => {
  const cm = bootstrapCm();
  assert.deepEqual(strictErrors(cm), []);
  assert.deepEqual([cm.kind, cm.metadata.name, cm.metadata.namespace], ["ConfigMap", "argocd-cm", "argocd"]);
  assert.equal(cm.metadata.labels["app.kubernetes.io/part-of"], "argocd", "Argo CD reads only its labelled ConfigMap");
  assert.equal(cm.data["application.resourceTrackingMethod"], "annotation");
  assert.ok(cm.data[HEALTH_KEY]);
});

test("the health check gives a layer Application the health of its resources, so the next wave waits", () => {
  const script = bootstrapCm().data[HEALTH_KEY];
  const app = (health) => ({ apiVersion: "argoproj.io/v1alpha1", kind: "Application", metadata: { name: "apis" }, status: health ? { health, sync: { status: "Synced" } } : undefined });
  assert.deepEqual(runHealthScript(script, app({ status: "Healthy" })), { status: "Healthy", message: "" });
  assert.deepEqual(runHealthScript(script, app({ status: "Degraded", message: "Deployment has minimum availability false" })),
    { status: "Degraded", message: "Deployment has minimum availability false" });
  assert.equal(runHealthScript(script, app({ status: "Missing" })).status, "Missing");
  assert.equal(runHealthScript(script, app(null)).status, "Progressing", "a freshly created Application is not yet Healthy");
  assert.throws(() => runHealthScript("return obj.status.health.status", app(null)), /health script/, "the Lua VM reports script errors");
});

test("the install steps apply argocd-cm server-side before root.yaml", () => {
  const apply = readme.indexOf("kubectl apply --server-side --field-manager=platform-bootstrap --force-conflicts -f platform/bootstrap/argocd-cm.yaml");
  const root = readme.indexOf("kubectl apply -f platform/bootstrap/root.yaml");
  assert.ok(apply >= 0, "the exact command is documented");
  assert.ok(root > apply, "and comes before root.yaml");
});

/** Every Application of the platform, including those the ApplicationSets generate. */
function allApplications() {
  const apps = manifests.filter(({ doc }) => doc.kind === "Application").map(({ file, doc }) => ({ label: `${file} ${doc.metadata.name}`, app: doc }));
  apps.push({ label: "platform/bootstrap/root.yaml", app: loadYamlFile(join(PLATFORM, "bootstrap/root.yaml"))[0] });
  const tenant = loadYamlFile(join(PLATFORM, "99-tenants/registry-example/tenants/bizmatters/config.yaml"))[0];
  for (const { doc } of manifests.filter((m) => m.doc.kind === "ApplicationSet")) {
    apps.push({ label: `ApplicationSet ${doc.metadata.name}`, app: renderApplicationSet(doc, tenant) });
  }
  return apps;
}

test("every Application, layer, operator, root and generated, retries a failed sync with back-off", () => {
  const apps = allApplications();
  assert.ok(apps.length >= 11, `found ${apps.length}`);
  const missing = apps.filter(({ app }) => !(app.spec.syncPolicy?.retry?.limit > 0 && app.spec.syncPolicy.retry.backoff?.duration));
  assert.deepEqual(missing.map((m) => m.label), []);
});

test("the retry check catches an Application without one", () => {
  const app = structuredClone(manifests.find(({ doc }) => doc.kind === "Application").doc);
  delete app.spec.syncPolicy.retry;
  assert.ok(!(app.spec.syncPolicy?.retry?.limit > 0));
});

test("NATS storage: the class is settable where the chart reads it, and the install steps say when to set it", () => {
  const nats = manifests.find(({ doc }) => doc.kind === "Application" && doc.metadata.name === "nats").doc;
  const pvc = nats.spec.source.helm.valuesObject.config.jetstream.fileStore.pvc;
  assert.equal(pvc.enabled, true);
  if ("storageClassName" in pvc) assert.ok(typeof pvc.storageClassName === "string" && pvc.storageClassName !== "", "an empty class disables dynamic provisioning");
  const text = readFileSync(join(PLATFORM, "01-foundation/nats.yaml"), "utf8");
  assert.match(text, /# storageClassName: \S+/, "the key to set is in the file, next to the volume");
  assert.match(readme, /config\.jetstream\.fileStore\.pvc\.storageClassName/);
  assert.match(readme, /Talos/);
});

test("docs: the repository README tells where the platform's install steps are", () => {
  assert.match(readFileSync(join(REPO_ROOT, "README.md"), "utf8"), /platform\/README\.md/);
});
