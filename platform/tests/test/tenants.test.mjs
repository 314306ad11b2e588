// Tenants are fenced and their data survives: the rendered ApplicationSets give each tenant an
// AppProject limited to its repository and namespace (synced by a platform Application from a
// chart in this repository), never cascade a deletion, and the workload's data claims and
// namespace are never pruned or deleted with the Application.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT, loadYamlFile, platformManifests } from "../lib/manifests.mjs";
import { strictErrors } from "../lib/models.mjs";
import { renderApplicationSet, renderGoTemplate, renderHelmChart, UnsupportedTemplate } from "../lib/templates.mjs";

const IN_CLUSTER = "https://kubernetes.default.svc";
const manifests = platformManifests();
const appSet = (name) => manifests.find(({ doc }) => doc.kind === "ApplicationSet" && doc.metadata.name === name).doc;
const layerApp = (name) => manifests.find(({ doc }) => doc.kind === "Application" && doc.metadata.name === name).doc;
const bizmatters = loadYamlFile(join(REPO_ROOT, "platform/99-tenants/registry-example/tenants/bizmatters/config.yaml"))[0];
const example = loadYamlFile(join(REPO_ROOT, "platform/99-tenants/registry-example/tenants/example/config.yaml.example"))[0];

/** The tenant's AppProject, as the tenant-projects Application renders it from this repository. */
function tenantProject(config) {
  const app = renderApplicationSet(appSet("tenant-projects"), config);
  const chart = join(REPO_ROOT, app.spec.source.path);
  const docs = renderHelmChart(chart, app.spec.source.helm.valuesObject);
  assert.equal(docs.length, 1, "the chart renders one object");
  return docs[0];
}

/** What a tenant AppProject must hold back, as sentences; empty means fenced. */
export function fenceProblems(project, config) {
  const problems = [];
  const spec = project.spec ?? {};
  if (JSON.stringify(spec.sourceRepos) !== JSON.stringify([config.repoURL])) problems.push(`sourceRepos ${JSON.stringify(spec.sourceRepos)} is not exactly the tenant's repository`);
  const destinations = spec.destinations ?? [];
  if (destinations.length !== 1 || destinations[0].server !== IN_CLUSTER || destinations[0].namespace !== config.namespace || destinations[0].name) {
    problems.push(`destinations ${JSON.stringify(destinations)} are not exactly the tenant's namespace in this cluster`);
  }
  for (const item of spec.clusterResourceWhitelist ?? []) {
    if (!(item.group === "" && item.kind === "Namespace" && item.name === config.namespace)) problems.push(`cluster-scoped ${item.group}/${item.kind} ${item.name ?? "(any name)"} is allowed`);
  }
  if (spec.clusterResourceBlacklist) problems.push("a clusterResourceBlacklist allows every cluster-scoped kind it does not list");
  const blocked = (spec.namespaceResourceBlacklist ?? []).map((r) => `${r.group}/${r.kind}`);
  for (const kind of ["argoproj.io/Application", "argoproj.io/ApplicationSet", "argoproj.io/AppProject", "/ResourceQuota"]) {
    if (!blocked.includes(kind)) problems.push(`namespaced ${kind} is not blocked`);
  }
  return problems;
}

test("each tenant's Application runs in its own AppProject, in its namespace, with retries and no cascading deletion", () => {
  for (const config of [bizmatters, example]) {
    const app = renderApplicationSet(appSet("tenants"), config);
    assert.deepEqual(strictErrors(app), []);
    assert.equal(app.metadata.name, config.tenant);
    assert.equal(app.spec.project, config.tenant, "not the default project");
    assert.deepEqual(app.spec.source, { repoURL: config.repoURL, targetRevision: config.targetRevision, path: config.path, directory: { recurse: true } });
    assert.deepEqual(app.spec.destination, { server: IN_CLUSTER, namespace: config.namespace });
    assert.ok(!(app.metadata.finalizers ?? []).includes("resources-finalizer.argocd.argoproj.io"), "deleting the Application deletes nothing");
    assert.ok(app.spec.syncPolicy.retry.limit > 0);
    assert.equal(tenantProject(config).metadata.name, app.spec.project, "the project exists under that name");
  }
});

test("the tenant's AppProject admits only its repository, its namespace and its own Namespace object", () => {
  for (const config of [bizmatters, example]) {
    const project = tenantProject(config);
    assert.deepEqual(strictErrors(project), []);
    assert.equal(project.metadata.namespace, "argocd");
    assert.deepEqual(fenceProblems(project, config), []);
  }
});

test("the fence check catches a permissive project, and the default project the tenants used to run in", () => {
  const project = tenantProject(bizmatters);
  const cases = [
    [(p) => { p.spec.sourceRepos = ["*"]; }, /sourceRepos \["\*"\]/],
    [(p) => { p.spec.destinations[0].namespace = "*"; }, /destinations .* are not exactly/],
    [(p) => { p.spec.destinations.push({ server: IN_CLUSTER, namespace: "kube-system" }); }, /destinations/],
    [(p) => { p.spec.clusterResourceWhitelist = [{ group: "*", kind: "*" }]; }, /cluster-scoped \*\/\* \(any name\) is allowed/],
    [(p) => { delete p.spec.clusterResourceWhitelist[0].name; }, /cluster-scoped \/Namespace \(any name\) is allowed/],
    [(p) => { p.spec.namespaceResourceBlacklist = []; }, /argoproj\.io\/Application is not blocked/],
  ];
  for (const [breakIt, expected] of cases) {
    const broken = structuredClone(project);
    breakIt(broken);
    assert.match(fenceProblems(broken, bizmatters).join("\n"), expected);
  }
  // Argo CD's built-in default project: every repository, destination and kind.
  const defaultProject = { spec: { sourceRepos: ["*"], destinations: [{ server: "*", namespace: "*" }], clusterResourceWhitelist: [{ group: "*", kind: "*" }] } };
  assert.ok(fenceProblems(defaultProject, bizmatters).length >= 3);
});

test("Argo CD syncs the projects: a platform Application per tenant renders the chart from this repository", () => {
  const app = renderApplicationSet(appSet("tenant-projects"), bizmatters);
  assert.deepEqual(strictErrors(app), []);
  const root = loadYamlFile(join(REPO_ROOT, "platform/bootstrap/root.yaml"))[0];
  assert.equal(app.spec.source.repoURL, root.spec.source.repoURL, "the platform repository");
  assert.equal(app.spec.source.targetRevision, root.spec.source.targetRevision);
  assert.ok(existsSync(join(REPO_ROOT, app.spec.source.path, "Chart.yaml")), `${app.spec.source.path} is a Helm chart`);
  assert.deepEqual(app.spec.destination, { server: IN_CLUSTER, namespace: "argocd" });
  assert.deepEqual(app.spec.syncPolicy.automated, { prune: true, selfHeal: true });
  assert.ok(app.spec.syncPolicy.retry.limit > 0);
  // The layer Application that creates both ApplicationSets includes the file holding them.
  const layer = layerApp("tenants");
  assert.equal(layer.spec.source.path, "platform/99-tenants");
  const sets = manifests.filter(({ doc }) => doc.kind === "ApplicationSet");
  for (const { file } of sets) assert.equal(file, `platform/99-tenants/${layer.spec.source.directory.include}`, `${file} is synced`);
  const wave = (d) => Number(d.metadata.annotations["argocd.argoproj.io/sync-wave"]);
  assert.ok(wave(appSet("tenant-projects")) < wave(appSet("tenants")), "projects before the Applications that use them");
});

test("both ApplicationSets read the same registry and keep what they made when a config.yaml goes", () => {
  for (const name of ["tenant-projects", "tenants"]) {
    const set = appSet(name);
    assert.equal(set.spec.syncPolicy?.preserveResourcesOnDeletion, true, name);
    assert.deepEqual(set.spec.generators, appSet("tenants").spec.generators, name);
  }
});

test("a config.yaml without namespace renders nothing (missingkey=error), and unknown template actions are refused", () => {
  const { namespace, ...noNamespace } = bizmatters;
  assert.ok(namespace);
  assert.throws(() => renderApplicationSet(appSet("tenants"), noNamespace), /no entry for key "namespace"/);
  assert.throws(() => renderGoTemplate("{{ .a | upper }}", { a: "x" }), UnsupportedTemplate);
});

const syncOptions = (doc) => (doc.metadata.annotations?.["argocd.argoproj.io/sync-options"] ?? "").split(",").map((o) => o.trim());
const protectedData = (doc) => syncOptions(doc).includes("Prune=false") && syncOptions(doc).includes("Delete=false");

test("the tenant's data claims and their namespace are never pruned nor deleted with the Application", () => {
  const workload = manifests.filter(({ file }) => file.includes("99-tenants/workload-example/")).map((m) => m.doc);
  const data = workload.filter((d) => ["PostgresInstance", "DragonflyInstance", "Namespace"].includes(d.kind));
  assert.equal(data.length, 3);
  for (const doc of data) assert.ok(protectedData(doc), `${doc.kind} ${doc.metadata.name}: ${syncOptions(doc)}`);
  const claim = data.find((d) => d.kind === "PostgresInstance");
  assert.ok(syncOptions(claim).includes("SkipDryRunOnMissingResource=true"), "the option it had is kept");
  assert.ok(!protectedData({ metadata: { annotations: { "argocd.argoproj.io/sync-options": "SkipDryRunOnMissingResource=true,Prune=false" } } }), "Prune=false alone is not enough");
});

test("the tenant workload writes only into the namespace its config.yaml names", () => {
  const workload = manifests.filter(({ file }) => file.includes("99-tenants/workload-example/")).map((m) => m.doc);
  for (const doc of workload) {
    const ns = doc.kind === "Namespace" ? doc.metadata.name : doc.metadata.namespace;
    assert.equal(ns, bizmatters.namespace, `${doc.kind} ${doc.metadata.name}`);
  }
});
