// The image and the scripts around the platform: Dockerfile requirements, build.sh without a
// Docker engine, cluster scripts without a cluster.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { REPO_ROOT } from "../lib/manifests.mjs";

const dockerfile = readFileSync(join(REPO_ROOT, "Dockerfile"), "utf8");

/** The Dockerfile's instructions, continuation lines joined. */
const instructions = dockerfile.replace(/\\\n/g, " ").split("\n").filter((l) => /^[A-Z]+\s/.test(l));
const stages = instructions.filter((l) => l.startsWith("FROM "));

test("Dockerfile: Maven build on JDK 21+, run stage on a JRE 21+", () => {
  assert.equal(stages.length, 2);
  assert.match(stages[0], /^FROM maven:[\d.]+-eclipse-temurin-(2[1-9]|[3-9]\d)\b.* AS build$/);
  assert.match(stages[1], /^FROM eclipse-temurin:(2[1-9]|[3-9]\d)[\d._]*-jre\b/);
  assert.ok(instructions.some((l) => /^RUN mvn -B -ntp -DskipTests .*\bpackage\b/.test(l)));
  assert.ok(instructions.some((l) => l.includes("target/agent-executor.jar /app/agent-executor.jar")));
});

test("Dockerfile: non-root uid 1000, migrations and their runner with psql, port 8080, serve entrypoint", () => {
  const run = instructions.slice(instructions.indexOf(stages[1]));
  assert.ok(run.includes("USER 1000:1000"));
  assert.ok(run.some((l) => l.startsWith("RUN ") && l.includes("postgresql-client")));
  assert.ok(run.some((l) => /^COPY .*migrations\/ \/app\/migrations\/$/.test(l)));
  assert.ok(run.some((l) => /^COPY .*scripts\/ci\/run-migrations\.sh \/app\/scripts\/ci\/run-migrations\.sh$/.test(l)));
  assert.ok(run.includes("EXPOSE 8080"));
  assert.match(run.at(-1), /^ENTRYPOINT \["java", .*"-jar", "\/app\/agent-executor\.jar", "serve"\]$/);
});

test("Dockerfile: the build stage has the migrations the jar packages, and the AOT cache is trained and used", () => {
  const build = instructions.slice(0, instructions.indexOf(stages[1]));
  assert.ok(build.some((l) => /^COPY migrations \.\/migrations$/.test(l)), "pom.xml packages migrations/ into the jar");
  const run = instructions.slice(instructions.indexOf(stages[1]));
  assert.ok(run.some((l) => l.startsWith("RUN ") && l.includes("aot-train.sh") && l.includes("/app/agent-executor.aot")));
  assert.match(run.at(-1), /"-XX:AOTCache=\/app\/agent-executor\.aot"/);
});

test("the Composition's init container runs the script the image contains", () => {
  const composition = readFileSync(join(REPO_ROOT, "platform/04-apis/compositions/agent-executor-composition.yaml"), "utf8");
  assert.match(composition, /command: \["\/app\/scripts\/ci\/run-migrations\.sh"\]/);
  assert.match(dockerfile, /\/app\/scripts\/ci\/run-migrations\.sh/);
});

const run = (cmd, args = [], env = {}) => spawnSync(cmd, args, { encoding: "utf8", env: { ...process.env, ...env } });

test("build.sh says so and exits 3 when no Docker engine is reachable", () => {
  const r = run(join(REPO_ROOT, "scripts/ci/build.sh"), [], { PATH: "/usr/bin:/bin", DOCKER_HOST: "unix:///nonexistent.sock" });
  assert.equal(r.status, 3, r.stderr);
  assert.match(r.stderr, /docker is not installed|no Docker engine is reachable/);
  assert.equal(run(join(REPO_ROOT, "scripts/ci/build.sh"), ["--bogus"]).status, 2);
});

const clusterScripts = readdirSync(join(REPO_ROOT, "scripts/cluster")).filter((f) => f.endsWith(".sh") && f !== "lib.sh");

test("the seven cluster scripts of 004 exist, the agent-executor migration test included", () => {
  assert.deepEqual(clusterScripts.sort(), [
    "test-agent-executor-migration.sh", "test-autoscaling.sh", "test-full-deployment.sh", "test-functional.sh",
    "test-minimal-deployment.sh", "verify-composition.sh", "verify-keda-config.sh",
  ]);
});

test("the migration test checks what 004 task 18 asks: image, resources, variables, probes, init container, KEDA", () => {
  const script = readFileSync(join(REPO_ROOT, "scripts/cluster/test-agent-executor-migration.sh"), "utf8");
  assert.match(script, /examples\/agent-executor-claim\.yaml/);
  for (const field of ["image", "resources", "livenessProbe", "readinessProbe", "startupProbe", "initContainers", "natsServerMonitoringEndpoint", "env_names"]) {
    assert.ok(script.includes(field), field);
  }
  assert.match(script, /difference \(expected\)/, "documents the differences with their reason");
  assert.equal(run(join(REPO_ROOT, "scripts/cluster/test-agent-executor-migration.sh"), ["a", "b"]).status, 2, "usage error");
});

for (const script of clusterScripts) {
  test(`${script} exits 3 and says so when no cluster is reachable`, () => {
    const r = run(join(REPO_ROOT, "scripts/cluster", script), [], { KUBECONFIG: "/nonexistent/kubeconfig", PATH: process.env.PATH });
    assert.equal(r.status, 3, r.stdout + r.stderr);
    assert.match(r.stderr, /^no cluster: /m);
  });
}
