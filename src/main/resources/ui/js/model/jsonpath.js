// Where each value of a JSON text sits, by the JSON path the service uses in its problems
// ($.agent_definition.nodes[0].type), so a problem can be shown at its place in the editor.

/**
 * Maps every value's path to its [start, end) offsets in `text`. Throws a SyntaxError with
 * `offset`, `line` and `column` when the text is not JSON.
 */
export function locate(text) {
  const positions = new Map();
  let i = 0;

  const fail = (message) => {
    const { line, column } = lineColumn(text, Math.min(i, text.length));
    const error = new SyntaxError(`${message} at line ${line}, column ${column}`);
    Object.assign(error, { offset: i, line, column });
    throw error;
  };
  const space = () => { while (i < text.length && " \t\r\n".includes(text[i])) i++; };
  const expect = (ch) => { if (text[i] !== ch) fail(`expected '${ch}'`); i++; };

  const string = () => {
    const start = i;
    expect('"');
    while (i < text.length && text[i] !== '"') {
      if (text[i] === "\\") i++;
      else if (text.charCodeAt(i) < 0x20) fail("control character in a string");
      i++;
    }
    expect('"');
    return JSON.parse(text.slice(start, i));
  };

  const value = (path) => {
    space();
    const start = i;
    const ch = text[i];
    if (ch === "{") object(path);
    else if (ch === "[") array(path);
    else if (ch === '"') string();
    else {
      const literal = /^(-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 400));
      if (!literal) fail(i >= text.length ? "unexpected end of the text" : `unexpected '${ch}'`);
      i += literal[0].length;
    }
    positions.set(path, { start, end: i });
  };

  const object = (path) => {
    expect("{");
    space();
    if (text[i] === "}") { i++; return; }
    for (;;) {
      space();
      const key = string();
      space();
      expect(":");
      value(`${path}.${key}`);
      space();
      if (text[i] === ",") { i++; continue; }
      expect("}");
      return;
    }
  };

  const array = (path) => {
    expect("[");
    space();
    if (text[i] === "]") { i++; return; }
    for (let n = 0; ; n++) {
      value(`${path}[${n}]`);
      space();
      if (text[i] === ",") { i++; continue; }
      expect("]");
      return;
    }
  };

  value("$");
  space();
  if (i < text.length) fail("text after the JSON value");
  return positions;
}

/**
 * The place of `path` in the located text: the value itself, else (for a missing member) the
 * nearest enclosing value that exists, with `exact` false.
 */
export function placeOf(positions, path) {
  let candidate = path;
  while (candidate) {
    const at = positions.get(candidate);
    if (at) return { ...at, exact: candidate === path, path: candidate };
    const cut = Math.max(candidate.lastIndexOf("."), candidate.lastIndexOf("["));
    if (cut <= 0) break;
    candidate = candidate.slice(0, cut);
  }
  const root = positions.get("$");
  return root ? { ...root, exact: path === "$", path: "$" } : null;
}

export function lineColumn(text, offset) {
  let line = 1;
  let lineStart = 0;
  for (let k = 0; k < offset; k++) {
    if (text[k] === "\n") { line++; lineStart = k + 1; }
  }
  return { line, column: offset - lineStart + 1 };
}
