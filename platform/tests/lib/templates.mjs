// Offline renderers for the two template languages of the tenant registry, each limited to the
// subset the platform uses and throwing on anything else (like lib/render.mjs):
//   - an ApplicationSet's goTemplate: {{ .key }} from one generator element, missingkey=error;
//   - a Helm chart: {{ .Values.key }} from values.yaml overridden by the Application's valuesObject.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { listFiles, loadYamlFile, parseYaml, rel } from "./manifests.mjs";

export class UnsupportedTemplate extends Error {}

const ACTION = /\{\{-?\s*(.*?)\s*-?\}\}/g;

/** Go text/template restricted to field references ({{ .a.b }}); missing keys are errors. */
export function renderGoTemplate(text, data, label = "template") {
  return text.replace(ACTION, (_, expr) => {
    const ref = expr.match(/^\.([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)$/);
    if (!ref) throw new UnsupportedTemplate(`${label}: unsupported by the test renderer: {{ ${expr} }}`);
    const value = ref[1].split(".").reduce((node, key) => node?.[key], data);
    if (value === undefined || value === null) throw new Error(`${label}: map has no entry for key "${ref[1]}"`);
    if (typeof value === "object") throw new UnsupportedTemplate(`${label}: {{ ${expr} }} is not a scalar`);
    return String(value);
  });
}

function renderStrings(node, data, label) {
  if (typeof node === "string") return renderGoTemplate(node, data, label);
  if (Array.isArray(node)) return node.map((v) => renderStrings(v, data, label));
  if (node && typeof node === "object") return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, renderStrings(v, data, label)]));
  return node;
}

/** The Application an ApplicationSet generates for one generator element (e.g. a config.yaml). */
export function renderApplicationSet(appset, element) {
  const label = `ApplicationSet ${appset.metadata.name}`;
  if (appset.spec.goTemplate !== true) throw new UnsupportedTemplate(`${label}: only goTemplate is modelled`);
  if (!(appset.spec.goTemplateOptions ?? []).includes("missingkey=error")) throw new UnsupportedTemplate(`${label}: only missingkey=error is modelled`);
  if (appset.spec.templatePatch) throw new UnsupportedTemplate(`${label}: templatePatch is not modelled`);
  const { metadata, spec } = renderStrings(appset.spec.template, element, label);
  return { apiVersion: "argoproj.io/v1alpha1", kind: "Application", metadata: { ...metadata, namespace: appset.metadata.namespace }, spec };
}

/** The manifests a Helm chart renders with values.yaml overridden by valuesObject. */
export function renderHelmChart(chartDir, valuesObject = {}) {
  const values = { ...(loadYamlFile(join(chartDir, "values.yaml"))[0] ?? {}), ...valuesObject };
  return listFiles(join(chartDir, "templates"), /\.ya?ml$/).flatMap((file) =>
    parseYaml(renderGoTemplate(readFileSync(file, "utf8"), { Values: values }, rel(file)), rel(file)),
  );
}
