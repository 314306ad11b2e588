// A test renderer for function-patch-and-transform: turns a claim into the resources a Pipeline
// Composition would compose, offline. It implements exactly the features the platform's
// Compositions use and rejects anything else, so a Composition cannot silently rely on a
// feature these tests do not model:
//   - mode Pipeline with one step whose input is pt.fn.crossplane.io/v1beta1 Resources
//   - resources[] {name, base, patches}; patchSets with patch type PatchSet
//   - patch types FromCompositeFieldPath, CombineFromComposite (strategy string; Go fmt verbs
//     %s %v %d with precision, e.g. %.0s), ToCompositeFieldPath (checked, applied only to
//     observed state, so not rendered here)
//   - transforms map, match (regexp patterns, fallbackValue), string (Format), convert (toType
//     string, bool, int64)
//   - policy.fromFieldPath Optional (default: skip the patch) / Required (skip the resource);
//     policy.toFieldPath Replace (default) / ForceMergeObjectsAppendArrays (append to an array)
//   - readinessChecks MatchCondition and None (default: MatchCondition Ready=True), evaluated
//     against observed objects by compositeReady, as the function marks composed resources ready
//     and Crossplane marks the composite (and its claim) Ready when all of them are
import { applyDefaults, claimSchema } from "./xrd.mjs";
import { get, set } from "./fieldpath.mjs";

const PATCH_KEYS = new Set(["type", "fromFieldPath", "toFieldPath", "transforms", "policy", "combine", "patchSetName"]);

export class UnsupportedFeature extends Error {}

const unsupported = (what) => {
  throw new UnsupportedFeature(`unsupported by the test renderer: ${what}`);
};

/** Go's fmt.Sprintf for the verbs Compositions use. */
export function sprintf(format, args) {
  let next = 0;
  return format.replace(/%(?:\[(\d+)\])?(\.\d+)?([svd%])/g, (_, index, precision, verb) => {
    if (verb === "%") return "%";
    const arg = args[index ? Number(index) - 1 : next];
    next = index ? Number(index) : next + 1;
    if (arg === undefined) return `%!${verb}(MISSING)`;
    let text = typeof arg === "object" ? JSON.stringify(arg) : String(arg);
    if (precision && verb !== "d") text = text.slice(0, Number(precision.slice(1)));
    return text;
  });
}

function transform(t, value) {
  switch (t.type) {
    case "map": {
      if (!(String(value) in t.map)) throw new Error(`map transform: no entry for ${JSON.stringify(value)}`);
      return t.map[String(value)];
    }
    case "match": {
      for (const p of t.match.patterns) {
        if (p.type !== "regexp") unsupported(`match pattern type ${p.type}`);
        if (new RegExp(p.regexp).test(String(value))) return p.result;
      }
      if (t.match.fallbackTo && t.match.fallbackTo !== "Value") unsupported(`match fallbackTo ${t.match.fallbackTo}`);
      return t.match.fallbackValue;
    }
    case "string": {
      if (t.string.type !== "Format") unsupported(`string transform type ${t.string.type}`);
      return sprintf(t.string.fmt, [value]);
    }
    case "convert": {
      switch (t.convert.toType) {
        case "string":
          return String(value);
        case "bool":
          if (!["true", "false", true, false].includes(value)) throw new Error(`convert: ${value} is no bool`);
          return value === true || value === "true";
        case "int64":
          return Number.parseInt(value, 10);
        default:
          return unsupported(`convert toType ${t.convert.toType}`);
      }
    }
    default:
      return unsupported(`transform type ${t.type}`);
  }
}

/** The patches of a resource with PatchSet references expanded. */
export function expandPatches(input, resource) {
  const sets = Object.fromEntries((input.patchSets ?? []).map((s) => [s.name, s.patches]));
  return (resource.patches ?? []).flatMap((p) => {
    if (p.type !== "PatchSet") return [p];
    if (!sets[p.patchSetName]) throw new Error(`resource ${resource.name}: no patchSet ${p.patchSetName}`);
    return sets[p.patchSetName];
  });
}

/** The function input of a Composition, after checking it is the shape the renderer knows. */
export function functionInput(composition) {
  if (composition.spec.mode !== "Pipeline") unsupported(`mode ${composition.spec.mode}`);
  if (composition.spec.pipeline.length !== 1) unsupported("a pipeline of more than one step");
  const step = composition.spec.pipeline[0];
  if (step.functionRef.name !== "function-patch-and-transform") unsupported(`function ${step.functionRef.name}`);
  const input = step.input;
  if (input.apiVersion !== "pt.fn.crossplane.io/v1beta1" || input.kind !== "Resources") {
    unsupported(`input ${input.apiVersion}/${input.kind}`);
  }
  for (const key of Object.keys(input)) {
    if (!["apiVersion", "kind", "resources", "patchSets"].includes(key)) unsupported(`input field ${key}`);
  }
  for (const r of input.resources) {
    for (const key of Object.keys(r)) if (!["name", "base", "patches", "readinessChecks"].includes(key)) unsupported(`resource field ${key}`);
    for (const check of r.readinessChecks ?? []) {
      if (!["MatchCondition", "None"].includes(check.type)) unsupported(`readiness check type ${check.type} (resource ${r.name})`);
    }
    for (const p of expandPatches(input, r)) checkPatch(p, r.name);
  }
  return input;
}

function checkPatch(p, resource) {
  for (const key of Object.keys(p)) if (!PATCH_KEYS.has(key)) unsupported(`patch field ${key} (resource ${resource})`);
  if (!["FromCompositeFieldPath", "CombineFromComposite", "ToCompositeFieldPath"].includes(p.type)) unsupported(`patch type ${p.type}`);
  if (p.type === "CombineFromComposite" && p.combine.strategy !== "string") unsupported(`combine strategy ${p.combine.strategy}`);
  const from = p.policy?.fromFieldPath ?? "Optional";
  const to = p.policy?.toFieldPath ?? "Replace";
  if (!["Optional", "Required"].includes(from)) unsupported(`fromFieldPath policy ${from}`);
  if (!["Replace", "ForceMergeObjectsAppendArrays"].includes(to)) unsupported(`toFieldPath policy ${to}`);
}

/** The composite resource Crossplane makes for a claim: defaulted spec plus claimRef. */
export function compositeFor(xrd, claim) {
  const schema = claimSchema(xrd);
  const defaulted = applyDefaults(schema, claim);
  return {
    apiVersion: claim.apiVersion,
    kind: xrd.spec.names.kind,
    metadata: { name: `${claim.metadata.name}-x7k2p`, labels: { "crossplane.io/claim-name": claim.metadata.name, "crossplane.io/claim-namespace": claim.metadata.namespace } },
    spec: {
      ...defaulted.spec,
      claimRef: { apiVersion: claim.apiVersion, kind: claim.kind, name: claim.metadata.name, namespace: claim.metadata.namespace },
    },
  };
}

function patchValue(p, xr) {
  if (p.type === "FromCompositeFieldPath") {
    const { found, value } = get(xr, p.fromFieldPath);
    return { found, value };
  }
  const values = p.combine.variables.map((v) => get(xr, v.fromFieldPath));
  if (values.some((v) => !v.found)) return { found: false };
  return { found: true, value: sprintf(p.combine.string.fmt, values.map((v) => v.value)) };
}

function apply(p, xr, resource) {
  const { found, value } = patchValue(p, xr);
  if (!found) return p.policy?.fromFieldPath === "Required" ? "skip-resource" : "skipped";
  const out = (p.transforms ?? []).reduce((v, t) => transform(t, v), value);
  if (p.policy?.toFieldPath === "ForceMergeObjectsAppendArrays") {
    const existing = get(resource, p.toFieldPath);
    if (existing.found && Array.isArray(existing.value) && Array.isArray(out)) {
      set(resource, p.toFieldPath, [...existing.value, ...structuredClone(out)]);
      return "applied";
    }
  }
  set(resource, p.toFieldPath, structuredClone(out));
  return "applied";
}

/**
 * Renders a claim with a Composition. Returns {composite, resources: {name: object}, skipped:
 * [resource names left out because a Required patch had no value]}.
 */
export function render(xrd, composition, claim) {
  const input = functionInput(composition);
  const composite = compositeFor(xrd, claim);
  const resources = {};
  const skipped = [];
  for (const r of input.resources) {
    const obj = structuredClone(r.base);
    let keep = true;
    for (const p of expandPatches(input, r)) {
      if (p.type === "ToCompositeFieldPath") continue;
      if (apply(p, composite, obj) === "skip-resource") keep = false;
    }
    if (keep) resources[r.name] = obj;
    else skipped.push(r.name);
  }
  return { composite, resources, skipped };
}

/** function-patch-and-transform's default check: the Ready condition is True. */
export const DEFAULT_READINESS = [{ type: "MatchCondition", matchCondition: { type: "Ready", status: "True" } }];

/** Whether one observed composed object passes its template's readiness checks (all must pass). */
export function composedReady(template, observed) {
  if (!observed) return false;
  return (template.readinessChecks ?? DEFAULT_READINESS).every((check) => {
    if (check.type === "None") return true;
    const want = check.matchCondition ?? { type: "Ready", status: "True" };
    return (observed.status?.conditions ?? []).some((c) => c.type === want.type && c.status === want.status);
  });
}

/**
 * Whether the composite (and so its claim) becomes Ready for observed objects by resource name:
 * every composed resource rendered must be observed and ready.
 */
export function compositeReady(composition, renderedNames, observedByName) {
  const input = functionInput(composition);
  return input.resources
    .filter((r) => renderedNames.includes(r.name))
    .every((r) => composedReady(r, observedByName[r.name]));
}
