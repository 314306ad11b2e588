// Shared fixtures of the platform tests: the XRDs, Compositions and example claims by name.
import { join } from "node:path";
import { PLATFORM, loadYamlFile, listFiles } from "../lib/manifests.mjs";
import { loadXrds } from "../lib/xrd.mjs";
import { render } from "../lib/render.mjs";

export const xrds = Object.fromEntries(loadXrds().map((x) => [x.spec.claimNames.kind, x]));

export const compositions = Object.fromEntries(
  listFiles(join(PLATFORM, "04-apis", "compositions"), /\.ya?ml$/)
    .flatMap(loadYamlFile)
    .map((c) => [c.spec.compositeTypeRef.kind, c]),
);

/** The XRD and Composition serving a claim kind. */
export function apiFor(claimKind) {
  const xrd = xrds[claimKind];
  return { xrd, composition: compositions[xrd.spec.names.kind] };
}

export const loadClaim = (relPath) => loadYamlFile(join(PLATFORM, relPath))[0];

/** Renders a claim with the Composition of its kind. */
export function renderClaim(claim) {
  const { xrd, composition } = apiFor(claim.kind);
  return render(xrd, composition, claim);
}

export const withSpec = (claim, spec) => ({ ...structuredClone(claim), spec: { ...structuredClone(claim.spec), ...spec } });
