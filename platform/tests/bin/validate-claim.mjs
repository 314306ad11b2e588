// Validates claim files against the published platform schemas.
// Exit 0: every document valid; 1: a document is invalid; 2: usage error or unreadable file.
import { readFileSync } from "node:fs";
import { loadValidators, claimProblems } from "../lib/claims.mjs";
import { parseYaml } from "../lib/manifests.mjs";

const files = process.argv.slice(2);
if (files.length === 0 || files.some((f) => f === "-h" || f === "--help")) {
  console.error("usage: validate-claim.sh FILE...  (YAML claims of the platform APIs, several documents per file allowed)");
  process.exit(2);
}
const validators = loadValidators();
let invalid = false;
let unreadable = false;
for (const file of files) {
  let docs;
  try {
    docs = parseYaml(readFileSync(file, "utf8"), file);
  } catch (e) {
    console.error(`${file}: cannot read: ${e.code === "ENOENT" ? "no such file" : e.message}`);
    unreadable = true;
    continue;
  }
  if (docs.length === 0) {
    console.error(`${file}: no YAML document`);
    invalid = true;
  }
  docs.forEach((doc, i) => {
    const where = docs.length > 1 ? `${file} (document ${i + 1})` : file;
    const problems = claimProblems(validators, doc);
    if (problems.length === 0) {
      console.log(`${where}: valid ${doc.kind} ${doc.metadata?.name}`);
    } else {
      invalid = true;
      for (const p of problems) console.error(`${where}: ${p}`);
    }
  });
}
process.exit(unreadable ? 2 : invalid ? 1 : 0);
