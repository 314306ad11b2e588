// Validation of claims against the published JSON Schemas (platform/04-apis/schemas), with one
// message per problem naming the field and the rule: "spec.size: must be one of small, medium,
// large (enum)".
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import { SCHEMAS } from "./xrd.mjs";
import { fromPointer } from "./fieldpath.mjs";

function describe(error) {
  const at = fromPointer(error.instancePath);
  const field = (name) => (at ? `${at}.${name}` : name);
  switch (error.keyword) {
    case "required":
      return `${field(error.params.missingProperty)}: is required (required)`;
    case "additionalProperties":
      return `${field(error.params.additionalProperty)}: is not a field of this API (additionalProperties)`;
    case "enum":
      return `${at}: must be one of ${error.params.allowedValues.join(", ")} (enum)`;
    case "const":
      return `${at}: must be ${JSON.stringify(error.params.allowedValue)} (const)`;
    case "type":
      return `${at}: must be ${error.params.type} (type)`;
    default:
      return `${at || "(document)"}: ${error.message} (${error.keyword})`;
  }
}

/** Loads every published schema; returns a validator keyed by "apiVersion/kind". */
export function loadValidators(dir = SCHEMAS) {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  const validators = new Map();
  for (const name of readdirSync(dir).filter((n) => n.endsWith(".schema.json")).sort()) {
    const schema = JSON.parse(readFileSync(join(dir, name), "utf8"));
    const key = `${schema.properties.apiVersion.const}/${schema.properties.kind.const}`;
    validators.set(key, { file: name, validate: ajv.compile(schema) });
  }
  return validators;
}

/** Problems of one claim document, as messages; empty when valid. */
export function claimProblems(validators, doc) {
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) return ["(document): must be a YAML mapping (type)"];
  const entry = validators.get(`${doc.apiVersion}/${doc.kind}`);
  if (!entry) {
    const known = [...validators.keys()].join(", ");
    return [`apiVersion/kind: ${doc.apiVersion}/${doc.kind} is not a platform API; known: ${known} (kind)`];
  }
  if (entry.validate(doc)) return [];
  const seen = new Set();
  return entry.validate.errors
    .filter((e) => !["if", "anyOf", "oneOf"].includes(e.keyword))
    .map(describe)
    .filter((m) => !seen.has(m) && seen.add(m));
}
