// A static check of the Dockerfile with the hadolint-style rules that decide whether the image
// builds and runs on the platform (no Docker engine needed): base images pinned, a non-root
// numeric USER, no uid/gid clash with the users the base image already has, the migrations and
// their runner inside, a HEALTHCHECK. It returns problems as sentences; empty means clean.

/**
 * Users and groups the base images already hold, by distribution release in the tag. Ubuntu
 * 24.04 ("noble") and 26.04 ("resolute") images ship user and group "ubuntu" with id 1000;
 * 22.04 ("jammy") has none. A base whose release is not listed here is reported, so that a new
 * base gets looked at before the image relies on its users.
 */
export const BASE_IMAGE_USERS = {
  noble: [{ name: "ubuntu", uid: 1000, gid: 1000 }],
  resolute: [{ name: "ubuntu", uid: 1000, gid: 1000 }],
  jammy: [],
};

/** The instructions of a Dockerfile: continuation lines joined, comments and blanks dropped. */
export function instructions(text) {
  return text
    .replace(/\\\n/g, " ")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"))
    .map((line) => {
      const [, keyword, args] = line.match(/^([A-Za-z]+)\s+(.*)$/) ?? [null, line, ""];
      return { keyword: keyword.toUpperCase(), args: args.trim(), line };
    });
}

/** The build stages: {image, name, body: instructions after FROM}. */
export function stages(text) {
  const out = [];
  for (const ins of instructions(text)) {
    if (ins.keyword === "FROM") {
      const [image, , name] = ins.args.replace(/--platform=\S+\s+/, "").split(/\s+/);
      out.push({ image, name: name ?? null, body: [] });
    } else if (out.length) {
      out.at(-1).body.push(ins);
    }
  }
  return out;
}

/** Whether an image reference is pinned: a digest, or a tag holding an exact x.y.z version. */
export function isPinned(image) {
  if (/@sha256:[0-9a-f]{64}$/.test(image)) return true;
  const tag = image.includes(":") && !image.endsWith(":") ? image.slice(image.lastIndexOf(":") + 1) : "";
  return tag !== "" && tag !== "latest" && /\d+\.\d+\.\d+/.test(tag);
}

/**
 * The release of images whose tag names none: eclipse-temurin's unsuffixed tags (25-jre) were
 * Ubuntu 24.04 when the image was written against them.
 */
const DEFAULT_RELEASE = { "eclipse-temurin": "noble" };

/** The distribution release an image's tag names (noble, jammy...), or its default, or null. */
function release(image) {
  const colon = image.lastIndexOf(":");
  const [name, tag] = colon < 0 ? [image, ""] : [image.slice(0, colon), image.slice(colon + 1)];
  return Object.keys(BASE_IMAGE_USERS).find((r) => tag.split(/[-_]/).includes(r)) ?? DEFAULT_RELEASE[name] ?? null;
}

function idsCreated(run, tool, flags) {
  const re = new RegExp(`\\b${tool}\\b[^&;|]*?(?:${flags.join("|")})[ =](\\d+)`, "g");
  return [...run.matchAll(re)].map((m) => ({ id: Number(m[1]), at: m.index }));
}

function removedBefore(run, tool, name, at) {
  const re = new RegExp(`\\b${tool}\\b(?:\\s+--?[a-z-]+)*\\s+${name}\\b`, "g");
  return [...run.matchAll(re)].some((m) => m.index < at);
}

/** The problems of the final (runtime) stage's users: clashes with the base image's own. */
function userProblems(stage) {
  const problems = [];
  const rel = release(stage.image);
  if (rel === null) return [`base image ${stage.image}: its distribution release is unknown, so its users cannot be checked (add it to BASE_IMAGE_USERS)`];
  const known = BASE_IMAGE_USERS[rel];
  const runs = stage.body.filter((i) => i.keyword === "RUN").map((i) => i.args);
  for (const run of runs) {
    for (const { id, at } of idsCreated(run, "useradd", ["--uid", "-u"])) {
      for (const user of known.filter((u) => u.uid === id)) {
        if (!removedBefore(run, "userdel", user.name, at)) problems.push(`useradd uid ${id} clashes with user "${user.name}" of ${stage.image} (remove or reuse it)`);
      }
    }
    for (const { id, at } of idsCreated(run, "groupadd", ["--gid", "-g"])) {
      for (const user of known.filter((u) => u.gid === id)) {
        const gone = removedBefore(run, "groupdel", user.name, at) || removedBefore(run, "userdel", user.name, at);
        if (!gone) problems.push(`groupadd gid ${id} clashes with group "${user.name}" of ${stage.image} (remove or reuse it)`);
      }
    }
  }
  return problems;
}

/**
 * What `mvn package` reads besides the pom: sources, the migrations and example jobs it packs into
 * the jar, and .mvn/jvm.config, which opens javac to Error Prone.
 */
export const MAVEN_BUILD_INPUTS = ["pom.xml", ".mvn", "src", "migrations", "examples"];

/** Every problem of the Dockerfile text, as sentences. */
export function dockerfileProblems(text) {
  const all = stages(text);
  if (all.length === 0) return ["no FROM instruction"];
  const names = new Set(all.map((s) => s.name).filter(Boolean));
  const problems = all
    .filter((s) => !names.has(s.image) && !isPinned(s.image))
    .map((s) => `base image ${s.image} is not pinned to a digest or an exact version tag`);
  const final = all.at(-1);
  const users = final.body.filter((i) => i.keyword === "USER").map((i) => i.args);
  const user = users.at(-1);
  if (!user) problems.push("the runtime stage sets no USER (it would run as root)");
  else if (!/^\d+(:\d+)?$/.test(user)) problems.push(`USER ${user} is not numeric uid[:gid] (Kubernetes runAsNonRoot cannot verify a name)`);
  else if (Number(user.split(":")[0]) === 0) problems.push("USER 0 is root");
  problems.push(...userProblems(final));
  const copies = final.body.filter((i) => i.keyword === "COPY").map((i) => i.args);
  if (!copies.some((c) => /(^|\s)migrations\/?\s+\/app\/migrations\/?$/.test(c))) problems.push("the migrations are not copied to /app/migrations/");
  if (!copies.some((c) => /scripts\/ci\/run-migrations\.sh\s+\/app\/scripts\/ci\/run-migrations\.sh$/.test(c))) problems.push("scripts/ci/run-migrations.sh is not copied to /app/scripts/ci/run-migrations.sh");
  if (!final.body.some((i) => i.keyword === "HEALTHCHECK" && /\bCMD\b/.test(i.args))) problems.push("the runtime stage has no HEALTHCHECK CMD");
  const build = all.find((s) => s.body.some((i) => i.keyword === "RUN" && /\bmvn\b[^\n]*\bpackage\b/.test(i.args)));
  if (!build) problems.push("no stage runs mvn package");
  else {
    const buildCopies = build.body.filter((i) => i.keyword === "COPY").map((i) => i.args.split(/\s+/)[0].replace(/\/$/, ""));
    for (const input of MAVEN_BUILD_INPUTS) {
      if (!buildCopies.includes(input)) problems.push(`the build stage does not copy ${input}, which the Maven build reads`);
    }
  }
  return problems;
}
