// Writes one JSON Schema 2020-12 file per XRD (its claim) into platform/04-apis/schemas, or into
// the directory given with --out. Prints the files written.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SCHEMAS, claimSchema, loadXrds, schemaFileName } from "../lib/xrd.mjs";
import { rel } from "../lib/manifests.mjs";

const args = process.argv.slice(2);
const outIndex = args.indexOf("--out");
if (args.some((a, i) => a !== "--out" && i !== outIndex + 1) || (outIndex >= 0 && !args[outIndex + 1])) {
  console.error("usage: publish-schema.sh [--out DIR]");
  process.exit(2);
}
const out = outIndex >= 0 ? args[outIndex + 1] : SCHEMAS;
mkdirSync(out, { recursive: true });
for (const xrd of loadXrds()) {
  const file = join(out, schemaFileName(xrd));
  writeFileSync(file, JSON.stringify(claimSchema(xrd), null, 2) + "\n");
  console.log(`wrote ${out === SCHEMAS ? rel(file) : file}`);
}
