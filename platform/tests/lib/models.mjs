// Validation of manifests against the published schemas of their kinds (the kubernetes-models
// family and @crossplane-models), plus a strict mode the published validators lack: they accept
// unknown fields, so every leaf is probed with a value of the wrong type; a field the schema
// knows reports a type error at its own path, an unknown one reports nothing.
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Namespace } from "kubernetes-models/v1/Namespace";
import { Secret } from "kubernetes-models/v1/Secret";
import { Service } from "kubernetes-models/v1/Service";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { Job } from "kubernetes-models/batch/v1/Job";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import { ClusterRole } from "kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole";
import { ScaledObject } from "@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject";
import { ExternalSecret } from "@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret";
import { ClusterSecretStore } from "@kubernetes-models/external-secrets/external-secrets.io/v1/ClusterSecretStore";
import { Application } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application";
import { ApplicationSet } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1/ApplicationSet";
import { AppProject } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject";
import { CompositeResourceDefinition, Composition } from "@crossplane-models/crossplane/apiextensions.crossplane.io/v1";
import { Function as CrossplaneFunction } from "@crossplane-models/crossplane/pkg.crossplane.io/v1";
import { parse, set, toPointer } from "./fieldpath.mjs";

const MODELS = [
  ConfigMap, Namespace, Secret, Service, ServiceAccount, Deployment, Job, NetworkPolicy, PodDisruptionBudget,
  ClusterRole, ScaledObject, ExternalSecret, ClusterSecretStore, Application, ApplicationSet, AppProject,
  CompositeResourceDefinition, Composition, CrossplaneFunction,
];

const registry = new Map(MODELS.map((m) => [`${m.apiVersion}/${m.kind}`, m]));

/**
 * Subtrees whose schema is deliberately free-form (x-kubernetes-preserve-unknown-fields):
 * strict probing skips them. Each is checked elsewhere: Composition inputs by the renderer,
 * XRD schemas by the claim-schema tests, Helm values by the chart itself.
 */
const FREE_FORM = [
  /^spec\.pipeline\[\d+\]\.input(\.|\[|$)/,
  /^spec\.versions\[\d+\]\.schema\.openAPIV3Schema(\.|\[|$)/,
  /^spec\.source\.helm\.valuesObject(\.|\[|$)/,
  /^spec\.template\.spec\.source\.helm\.valuesObject(\.|\[|$)/,
];

export function modelFor(doc) {
  return registry.get(`${doc?.apiVersion}/${doc?.kind}`);
}

export const knownKinds = () => [...registry.keys()];

function rawErrors(model, doc) {
  try {
    new model(structuredClone(doc)).validate();
    return [];
  } catch (e) {
    if (!e.errors) throw e;
    return e.errors;
  }
}

/** Schema errors of a manifest as "path message" strings; throws for a kind with no model. */
export function schemaErrors(doc) {
  const model = modelFor(doc);
  if (!model) throw new Error(`no published schema for ${doc?.apiVersion}/${doc?.kind}`);
  return rawErrors(model, doc).map((e) => `${e.instancePath || "/"} ${e.message}`);
}

/** Whether the published schema of doc's kind defines the field at path. */
export function schemaKnowsField(doc, path) {
  const model = modelFor(doc);
  if (!model) throw new Error(`no published schema for ${doc?.apiVersion}/${doc?.kind}`);
  const pointer = toPointer(path);
  return [true, "\u0000probe"].some((probe) => {
    const copy = set(structuredClone(doc), path, probe);
    return rawErrors(model, copy).some(
      (e) => e.instancePath === pointer || e.instancePath.startsWith(pointer + "/"),
    );
  });
}

function leafPaths(value, prefix = "") {
  if (Array.isArray(value)) return value.length === 0 ? [prefix] : value.flatMap((v, i) => leafPaths(v, `${prefix}[${i}]`));
  if (value !== null && typeof value === "object") {
    const keys = Object.keys(value);
    if (keys.length === 0) return [prefix];
    return keys.flatMap((k) => leafPaths(value[k], prefix ? `${prefix}${/[./]/.test(k) ? `[${k}]` : `.${k}`}` : k));
  }
  return [prefix];
}

/** Fields of doc that its kind's published schema does not define. */
export function unknownFields(doc) {
  return leafPaths(doc)
    .filter((p) => p && !["apiVersion", "kind"].includes(p))
    .filter((p) => !FREE_FORM.some((re) => re.test(p)))
    .filter((p) => !schemaKnowsField(doc, p));
}

/** Schema errors plus unknown fields: empty when the manifest is valid. */
export function strictErrors(doc) {
  return [...schemaErrors(doc), ...unknownFields(doc).map((p) => `${p} is not a field of ${doc.kind}`)];
}

export { parse };
