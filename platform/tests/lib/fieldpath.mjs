// Crossplane field paths ("spec.containers[0].env[2].value", "metadata.labels[app.kubernetes.io/name]")
// parsed into segments, read and written the way crossplane-runtime's fieldpath package does.

/** Splits a field path into string (field) and number (index) segments. */
export function parse(path) {
  const segments = [];
  let i = 0;
  while (i < path.length) {
    if (path[i] === ".") {
      i++;
      continue;
    }
    if (path[i] === "[") {
      const end = path.indexOf("]", i);
      if (end < 0) throw new Error(`unclosed [ in field path ${path}`);
      const inner = path.slice(i + 1, end);
      segments.push(/^\d+$/.test(inner) ? Number(inner) : inner);
      i = end + 1;
      continue;
    }
    let end = i;
    while (end < path.length && path[end] !== "." && path[end] !== "[") end++;
    segments.push(path.slice(i, end));
    i = end;
  }
  return segments;
}

/** Returns {found, value} for a path in an object. */
export function get(obj, path) {
  let cur = obj;
  for (const s of parse(path)) {
    if (cur === null || typeof cur !== "object" || !(s in cur)) return { found: false };
    cur = cur[s];
  }
  return { found: true, value: cur };
}

/** Sets a value, creating objects and arrays on the way like fieldpath.Paved.SetValue. */
export function set(obj, path, value) {
  const segs = parse(path);
  let cur = obj;
  segs.forEach((s, n) => {
    if (n === segs.length - 1) {
      cur[s] = value;
      return;
    }
    if (cur[s] === undefined || cur[s] === null) cur[s] = typeof segs[n + 1] === "number" ? [] : {};
    cur = cur[s];
  });
  return obj;
}

/** JSON pointer (as Ajv reports instancePath) of a field path. */
export function toPointer(path) {
  return parse(path)
    .map((s) => "/" + String(s).replaceAll("~", "~0").replaceAll("/", "~1"))
    .join("");
}

/** Dotted form of an Ajv instancePath, for messages a person reads. */
export function fromPointer(pointer) {
  return pointer
    .split("/")
    .slice(1)
    .map((s) => s.replaceAll("~1", "/").replaceAll("~0", "~"))
    .reduce((acc, s) => (/^\d+$/.test(s) ? `${acc}[${s}]` : acc ? `${acc}.${s}` : s), "");
}
