// The image and how it is released, without a Docker engine: the Dockerfile's static check, the
// one image tag convention (derived from the release workflow, used by every image reference),
// version and commit passed into the image, and the CI workflow that runs the test suite.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, chmodSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT, listFiles, loadYamlFile, rel } from "../lib/manifests.mjs";
import { dockerfileProblems, isPinned, stages } from "../lib/dockerfile.mjs";
import { loadClaim, renderClaim } from "./helpers.mjs";

const DOCKERFILE = readFileSync(join(REPO_ROOT, "Dockerfile"), "utf8");
const IMAGE = "ghcr.io/arun4infra/agent-executor";

// --- The Dockerfile ---------------------------------------------------------------------------

test("Dockerfile passes the static check: pinned bases, numeric non-root USER, no uid clash, migrations, HEALTHCHECK", () => {
  assert.deepEqual(dockerfileProblems(DOCKERFILE), []);
});

test("the static check catches each defect in a broken copy", () => {
  const cases = [
    [(d) => d.replace(/FROM eclipse-temurin:\S+/, "FROM eclipse-temurin:25-jre"), /eclipse-temurin:25-jre is not pinned/],
    [(d) => d.replace(/FROM maven:\S+/, "FROM maven:latest"), /maven:latest is not pinned/],
    [(d) => d.replace(/ && if id -u ubuntu[^\n]*\n/, "").replace(/ && if getent group ubuntu[^\n]*\n/, ""), /useradd uid 1000 clashes with user "ubuntu"/],
    [(d) => d.replace(/ && if getent group ubuntu[^\n]*\n/, "").replace(/ && if id -u ubuntu[^\n]*\n/, ""), /groupadd gid 1000 clashes with group "ubuntu"/],
    [(d) => d.replace("USER 1000:1000", "USER app"), /USER app is not numeric/],
    [(d) => d.replace("USER 1000:1000", "USER 0:0"), /USER 0 is root/],
    [(d) => d.replace(/^USER .*\n/m, ""), /sets no USER/],
    [(d) => d.replace(/^COPY .*migrations\/ \/app\/migrations\/\n/m, ""), /migrations are not copied/],
    [(d) => d.replace(/^COPY \.mvn .*\n/m, ""), /does not copy \.mvn/],
    [(d) => d.replace(/^COPY examples .*\n/m, ""), /does not copy examples/],
    [(d) => d.replace(/^COPY .*run-migrations\.sh \/app\/scripts\/ci\/run-migrations\.sh\n/m, ""), /run-migrations\.sh is not copied/],
    [(d) => d.replace(/^HEALTHCHECK[^\n]*\\\n[^\n]*\n/m, ""), /no HEALTHCHECK/],
    [(d) => d.replace(/FROM eclipse-temurin:\S+/, "FROM debian:12.11-slim"), /release is unknown/],
  ];
  for (const [breakIt, expected] of cases) {
    const broken = breakIt(DOCKERFILE);
    assert.notEqual(broken, DOCKERFILE, `the case for ${expected} changed nothing`);
    assert.match(dockerfileProblems(broken).join("\n"), expected);
  }
});

test("pinning: a digest or an exact version tag; floating tags are not", () => {
  for (const image of ["eclipse-temurin:25.0.4.1_1-jre-noble", "maven:3.9.11-eclipse-temurin-25", `nats@sha256:${"a".repeat(64)}`]) assert.ok(isPinned(image), image);
  for (const image of ["eclipse-temurin:25-jre", "maven:3.9-eclipse-temurin-25", "nats:latest", "nats"]) assert.ok(!isPinned(image), image);
});

test("the image's USER is the uid and gid the Compositions run as", () => {
  const user = stages(DOCKERFILE).at(-1).body.filter((i) => i.keyword === "USER").at(-1).args;
  const [uid, gid] = user.split(":").map(Number);
  for (const file of ["03-intelligence/agent-executor-claim.yaml", "04-apis/examples/agent-executor-claim.yaml"]) {
    const pod = renderClaim(loadClaim(file)).resources.deployment.spec.template.spec.securityContext;
    assert.deepEqual([pod.runAsUser, pod.runAsGroup], [uid, gid], file);
  }
});

test("version and commit reach the jar and the image labels through build arguments", () => {
  for (const stage of stages(DOCKERFILE)) {
    const args = stage.body.filter((i) => i.keyword === "ARG").map((i) => i.args.split("=")[0]);
    assert.deepEqual(args.sort(), ["GIT_COMMIT", "VERSION"], `stage ${stage.name ?? stage.image}`);
  }
  const [build, run] = stages(DOCKERFILE);
  const mvn = build.body.find((i) => i.keyword === "RUN" && / package\b/.test(i.args)).args;
  assert.match(mvn, /-Drevision="\$VERSION"/);
  assert.match(mvn, /-Dgit\.commit\.id="\$GIT_COMMIT"/);
  const labels = run.body.filter((i) => i.keyword === "LABEL").map((i) => i.args).join(" ");
  assert.match(labels, /org\.opencontainers\.image\.version="\$VERSION"/);
  assert.match(labels, /org\.opencontainers\.image\.revision="\$GIT_COMMIT"/);
  const pom = readFileSync(join(REPO_ROOT, "pom.xml"), "utf8");
  assert.match(pom, /<version>\$\{revision\}<\/version>/, "the project version is settable");
  assert.match(pom, /<Git-Commit>\$\{git\.commit\.id\}<\/Git-Commit>/, "the manifest records the commit");
  assert.match(pom, /<addDefaultImplementationEntries>true<\/addDefaultImplementationEntries>/, "and the version");
});

// --- One tag convention -----------------------------------------------------------------------

/**
 * Runs the release workflow's "Build and push" step with scripts/ci/build.sh replaced by a stub
 * that records its arguments, for a tag push of `ref`; returns those arguments.
 */
function releaseBuildArgs(ref) {
  const workflow = loadYamlFile(join(REPO_ROOT, ".github/workflows/release.yml"))[0];
  assert.deepEqual(workflow.on.push.tags, ["v*.*.*"]);
  const step = workflow.jobs.release.steps.find((s) => s.name === "Build and push");
  const dir = mkdtempSync(join(tmpdir(), "release-"));
  mkdirSync(join(dir, "scripts/ci"), { recursive: true });
  const stub = join(dir, "scripts/ci/build.sh");
  writeFileSync(stub, '#!/usr/bin/env bash\nprintf "%s\\n" "$@"\n');
  chmodSync(stub, 0o755);
  const r = spawnSync("bash", ["-eo", "pipefail", "-c", step.run], {
    cwd: dir, encoding: "utf8",
    env: { PATH: process.env.PATH, GITHUB_REF_NAME: ref, GITHUB_SHA: "0123456789abcdef0123456789abcdef01234567", IMAGE },
  });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim().split("\n");
}

const option = (args, name) => args.flatMap((a, i) => (a === name ? [args[i + 1]] : []));

/** The tags the release workflow pushes for v9.8.7, as a pattern over any version. */
function releaseTagPatterns() {
  const args = releaseBuildArgs("v9.8.7");
  assert.deepEqual(option(args, "--version"), ["9.8.7"], "the jar and /health report the version without the v");
  const tags = option(args, "--tag");
  assert.ok(tags.length >= 1);
  return tags.map((t) => new RegExp(`^${t.replace("9.8.7", String.raw`\d+\.\d+\.\d+(-[0-9A-Za-z.]+)?`).replace("0123456789ab", "[0-9a-f]{12}")}$`));
}

test("the release workflow tags the image v<version> (the git tag) and sha-<commit>", () => {
  const args = releaseBuildArgs("v9.8.7");
  assert.deepEqual(option(args, "--tag"), ["v9.8.7", "sha-0123456789ab"]);
  assert.ok(args.includes("--push"));
  const dry = spawnSync(join(REPO_ROOT, "scripts/ci/build.sh"), [...args.filter((a) => a !== "--push"), "--dry-run"], { encoding: "utf8" });
  assert.equal(dry.status, 0, dry.stderr);
  assert.match(dry.stdout, new RegExp(`--tag ${IMAGE}:v9\\.8\\.7 --tag ${IMAGE}:sha-0123456789ab --build-arg VERSION=9\\.8\\.7 --build-arg GIT_COMMIT=[0-9a-f]{40}`));
});

test("build.sh defaults to the same convention: tag v<version>", () => {
  const dry = spawnSync(join(REPO_ROOT, "scripts/ci/build.sh"), ["--version", "2.0.1", "--dry-run"], { encoding: "utf8" });
  assert.equal(dry.status, 0, dry.stderr);
  assert.match(dry.stdout, new RegExp(`^docker build --tag ${IMAGE}:v2\\.0\\.1 --build-arg VERSION=2\\.0\\.1 `));
});

/** Every reference to the agent-executor image in the platform, the examples and the docs. */
function imageReferences() {
  const files = [
    ...listFiles(join(REPO_ROOT, "platform"), /\.(ya?ml|json|md|example)$/),
    ...listFiles(join(REPO_ROOT, "examples"), /\.(ya?ml|json|md)$/),
    ...listFiles(join(REPO_ROOT, "docs"), /\.md$/),
    join(REPO_ROOT, "README.md"),
  ];
  return files.flatMap((file) =>
    // registry host (with a dot, not GitHub's web host) / owner / agent-executor [:tag]
    [...readFileSync(file, "utf8").matchAll(/\b(?!github\.com\/)[a-z0-9-]+(?:\.[a-z0-9-]+)+\/[\w.-]+\/agent-executor(?![\w./-])(?::([^\s"'`)|,]+))?/g)]
      .map((m) => ({ file: rel(file), ref: m[0], tag: m[1] ?? "" })),
  );
}

test("every image reference in platform/, examples and docs uses a tag the release workflow pushes", () => {
  const patterns = releaseTagPatterns();
  const refs = imageReferences();
  assert.ok(refs.filter((r) => r.file.endsWith(".yaml")).length >= 3, "the claims are found");
  const wrong = refs.filter((r) => r.tag !== "v<version>" && !patterns.some((p) => p.test(r.tag)));
  assert.deepEqual(wrong.map((r) => `${r.file}: ${r.ref}`), []);
});

test("the tag check rejects the tag the workflow used to push (1.0.0 without the v) and :latest", () => {
  const patterns = releaseTagPatterns();
  for (const tag of ["1.0.0", "latest", ""]) assert.ok(!patterns.some((p) => p.test(tag)), tag);
  assert.ok(patterns.some((p) => p.test("v1.0.0")));
});

// --- CI runs the tests ------------------------------------------------------------------------

test("a CI workflow runs scripts/test.sh on pull requests and pushes with PostgreSQL, Redis and NATS JetStream", () => {
  const ci = loadYamlFile(join(REPO_ROOT, ".github/workflows/ci.yml"))[0];
  assert.ok("pull_request" in ci.on && "push" in ci.on, "pull requests and pushes");
  const job = Object.values(ci.jobs)[0];
  const steps = job.steps;
  assert.ok(steps.some((s) => s.run?.trim() === "scripts/test.sh"), "runs the project's test command");
  assert.match(job.services.postgres.image, /^postgres:/);
  assert.equal(job.services.postgres.env.POSTGRES_DB, "test", "the database the tests use");
  assert.equal(job.services.postgres.env.POSTGRES_HOST_AUTH_METHOD, "trust");
  assert.deepEqual(job.services.postgres.ports, ["5432:5432"]);
  assert.deepEqual(job.services.redis.ports, ["6379:6379"]);
  const nats = steps.find((s) => /\bnats\b/.test(s.run ?? ""));
  assert.match(nats.run, /-p 4222:4222 nats:\S+ -js\b/, "NATS with JetStream on 4222");
  const testStep = steps.findIndex((s) => s.run?.trim() === "scripts/test.sh");
  assert.ok(steps.indexOf(nats) < testStep, "NATS is up before the tests");
  assert.equal(steps.find((s) => s.uses?.startsWith("actions/setup-java@")).with.cache, "maven");
  const upload = steps.find((s) => s.uses?.startsWith("actions/upload-artifact@"));
  assert.equal(upload.if, "failure()");
  assert.match(upload.with.path, /target\/surefire-reports/);
  assert.match(upload.with.path, /target\/failsafe-reports/);
});
