// A small JSON Schema check for edited tool arguments: the keywords tool schemas use (type,
// properties, required, additionalProperties, items, enum, const, lengths, bounds, pattern,
// anyOf/oneOf/allOf). Unknown keywords are ignored, so a schema it cannot read never blocks.

/** Every problem of `value` against `schema`: [{path, message}], empty when it conforms. */
export function check(schema, value, path = "$") {
  const problems = [];
  visit(schema, value, path, problems);
  return problems;
}

function visit(schema, value, path, problems) {
  if (schema === true || schema == null || typeof schema !== "object") return;
  if (schema === false) return void problems.push({ path, message: "no value is allowed here" });
  const add = (message) => problems.push({ path, message });

  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.some((t) => hasType(value, t))) return add(`must be ${types.join(" or ")}, not ${typeOf(value)}`);
  }
  if (schema.enum && !schema.enum.some((e) => same(e, value))) add(`must be one of ${schema.enum.map((e) => JSON.stringify(e)).join(", ")}`);
  if ("const" in schema && !same(schema.const, value)) add(`must be ${JSON.stringify(schema.const)}`);

  if (typeof value === "string") strings(schema, value, add);
  if (typeof value === "number") numbers(schema, value, add);
  if (Array.isArray(value)) arrays(schema, value, path, problems, add);
  if (isObject(value)) objects(schema, value, path, problems, add);

  for (const sub of schema.allOf ?? []) visit(sub, value, path, problems);
  if (Array.isArray(schema.anyOf) && !schema.anyOf.some((s) => check(s, value, path).length === 0)) add("matches none of the allowed shapes (anyOf)");
  if (Array.isArray(schema.oneOf) && schema.oneOf.filter((s) => check(s, value, path).length === 0).length !== 1) add("must match exactly one allowed shape (oneOf)");
}

function strings(schema, value, add) {
  const length = [...value].length;
  if (typeof schema.minLength === "number" && length < schema.minLength) add(`must have at least ${schema.minLength} characters`);
  if (typeof schema.maxLength === "number" && length > schema.maxLength) add(`must have at most ${schema.maxLength} characters`);
  if (typeof schema.pattern === "string") {
    let re = null;
    try { re = new RegExp(schema.pattern, "u"); } catch { /* a pattern this browser cannot read is not checked */ }
    if (re && !re.test(value)) add(`must match the pattern ${schema.pattern}`);
  }
}

function numbers(schema, value, add) {
  if (typeof schema.minimum === "number" && value < schema.minimum) add(`must be at least ${schema.minimum}`);
  if (typeof schema.maximum === "number" && value > schema.maximum) add(`must be at most ${schema.maximum}`);
  if (typeof schema.exclusiveMinimum === "number" && value <= schema.exclusiveMinimum) add(`must be more than ${schema.exclusiveMinimum}`);
  if (typeof schema.exclusiveMaximum === "number" && value >= schema.exclusiveMaximum) add(`must be less than ${schema.exclusiveMaximum}`);
}

function arrays(schema, value, path, problems, add) {
  if (typeof schema.minItems === "number" && value.length < schema.minItems) add(`must have at least ${schema.minItems} items`);
  if (typeof schema.maxItems === "number" && value.length > schema.maxItems) add(`must have at most ${schema.maxItems} items`);
  if (isObject(schema.items) || typeof schema.items === "boolean") value.forEach((v, n) => visit(schema.items, v, `${path}[${n}]`, problems));
}

function objects(schema, value, path, problems, add) {
  for (const name of Array.isArray(schema.required) ? schema.required : []) {
    if (!(name in value)) problems.push({ path: `${path}.${name}`, message: "is required" });
  }
  const properties = isObject(schema.properties) ? schema.properties : {};
  for (const [name, v] of Object.entries(value)) {
    if (name in properties) visit(properties[name], v, `${path}.${name}`, problems);
    else if (schema.additionalProperties === false) problems.push({ path: `${path}.${name}`, message: "is not an allowed property" });
    else if (isObject(schema.additionalProperties)) visit(schema.additionalProperties, v, `${path}.${name}`, problems);
  }
  if (typeof schema.minProperties === "number" && Object.keys(value).length < schema.minProperties) add(`must have at least ${schema.minProperties} properties`);
}

function hasType(value, type) {
  switch (type) {
    case "integer": return Number.isInteger(value);
    case "number": return typeof value === "number" && Number.isFinite(value);
    case "array": return Array.isArray(value);
    case "object": return isObject(value);
    case "null": return value === null;
    default: return typeof value === type;
  }
}

function typeOf(value) {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (Number.isInteger(value)) return "an integer";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

function same(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

function isObject(v) {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}
