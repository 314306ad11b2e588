// Finds and parses the repository's YAML: every platform manifest and workflow.
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";

export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
export const PLATFORM = join(REPO_ROOT, "platform");

/** Every file under dir (recursively) whose name matches the pattern, skipping node_modules. */
export function listFiles(dir, pattern) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    if (name === "node_modules" || name.startsWith(".")) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...listFiles(path, pattern));
    else if (pattern.test(name)) out.push(path);
  }
  return out;
}

/** Parses a multi-document YAML text; throws with the file and line on any YAML error. */
export function parseYaml(text, label) {
  const docs = parseAllDocuments(text, { uniqueKeys: true, merge: false });
  const out = [];
  for (const doc of docs) {
    const problem = doc.errors[0] ?? doc.warnings[0];
    if (problem) throw new Error(`${label}: ${problem.message}`);
    const value = doc.toJS();
    if (value !== null && value !== undefined) out.push(value);
  }
  return out;
}

export function loadYamlFile(path) {
  return parseYaml(readFileSync(path, "utf8"), relative(REPO_ROOT, path));
}

/** Helm charts under platform/ (directories holding a Chart.yaml): templates, not manifests. */
export function helmCharts(dir = PLATFORM) {
  if (existsSync(join(dir, "Chart.yaml"))) return [dir];
  return readdirSync(dir)
    .filter((name) => name !== "node_modules" && !name.startsWith(".") && statSync(join(dir, name)).isDirectory())
    .flatMap((name) => helmCharts(join(dir, name)));
}

/**
 * All Kubernetes manifests of platform/ as {file, doc}, plus the files that hold none. Helm
 * charts are left out: their templates are checked once rendered (tenants.test.mjs).
 */
export function platformManifests() {
  const charts = helmCharts();
  return listFiles(PLATFORM, /\.ya?ml$/)
    .filter((file) => !charts.some((chart) => file.startsWith(chart + "/")))
    .flatMap((file) => loadYamlFile(file).map((doc) => ({ file: relative(REPO_ROOT, file), doc })));
}

export const rel = (path) => relative(REPO_ROOT, path);
