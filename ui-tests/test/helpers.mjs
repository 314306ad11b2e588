// Shared by the browser tests: the service under test, a fresh headless Chromium, pages that
// record script errors and Content-Security-Policy violations, and jobs made from the examples.
import { chromium } from "playwright-core";
import { mkdtempSync, readFileSync, rmSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const BASE = process.env.UI_BASE_URL ?? "http://127.0.0.1:8080";
export const SCREENSHOTS = process.env.UI_SCREENSHOT_DIR || join(REPO, "ui-tests", "test-results");

const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
  "--no-first-run", "--disable-component-update", "--disable-sync"];

/** A browser with a fresh profile (user data dir) of its own; close() removes the profile. */
export async function openBrowser(options = {}) {
  const profile = mkdtempSync(join(tmpdir(), "ui-tests-profile-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ARGS,
    viewport: { width: 1440, height: 900 },
    ...options,
  });
  context.setDefaultTimeout(15_000);
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** A new page whose `problems` collects uncaught errors and console errors (CSP violations among them). */
export async function newPage(context) {
  const page = await context.newPage();
  page.problems = [];
  page.on("pageerror", (e) => page.problems.push(`pageerror: ${e.message}`));
  // An HTTP error status is logged as "Failed to load resource": the page handles those itself.
  page.on("console", (m) => {
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) page.problems.push(`console: ${m.text()}`);
  });
  return page;
}

export function example(name) {
  return JSON.parse(readFileSync(join(REPO, "examples", `${name}.json`), "utf8"));
}

/** The research-team example with `delayMs` before every scripted answer, so it can be watched running. */
export function slowResearchTeam(delayMs) {
  const job = example("research-team");
  delete job.job_id;
  delete job.trace_id;
  for (const node of job.agent_definition.nodes) {
    for (const answer of node.config.model.script) answer.delay_ms = delayMs;
  }
  return job;
}

export async function screenshot(page, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, name), fullPage: false });
}

/** Starts a job from the New run page by pasting it; answers the run's id once its view is open. */
export async function startFromEditor(page, job) {
  await page.goto(`${BASE}/ui/#/new`);
  await page.locator("#job-editor").fill(JSON.stringify(job, null, 2));
  await page.getByRole("button", { name: "Start", exact: true }).click();
  await page.waitForURL(/#\/runs\//);
  return decodeURIComponent(new URL(page.url()).hash.replace("#/runs/", ""));
}

export async function waitForStatus(page, status, timeout = 20_000) {
  await page.locator(`article.run[data-status="${status}"]`).waitFor({ timeout });
}

/** What the run view shows, in a form two views of the same run can be compared by. */
export async function summary(page) {
  return page.evaluate(() => ({
    status: document.querySelector("article.run")?.dataset.status,
    todos: [...document.querySelectorAll(".todo")].map((t) => `${t.dataset.status}: ${t.querySelector(".todo-content").textContent}`),
    subagents: [...document.querySelectorAll("details.branch")].map((b) => `${b.dataset.subagent} ${b.querySelector(".badge").textContent}`),
    files: [...document.querySelectorAll(".file-link")].map((f) => f.dataset.path),
    items: [...document.querySelectorAll(".timeline li.item")].map((li) => li.className),
    tools: [...document.querySelectorAll(".tool-entry")].map((t) => t.dataset.tool),
    modelTexts: [...document.querySelectorAll(".model-text")].map((t) => t.textContent),
    events: document.querySelector('[data-testid="event-count"]')?.textContent,
  }));
}

/** A one-node job whose scripted model writes /report.md through write_file, which needs approval. */
export function approvalJob({ delayMs = 0 } = {}) {
  return {
    agent_definition: {
      name: "approval-test",
      nodes: [{
        id: "main",
        type: "orchestrator",
        config: {
          name: "main",
          system_prompt: "You write reports.",
          tools: ["write_file"],
          interrupt_on: { write_file: { allowed_decisions: ["approve", "edit", "reject"], description: "Writing a file needs approval." } },
          model: {
            provider: "scripted",
            model: "scripted",
            script: [
              { content: "Writing the report.", delay_ms: delayMs, tool_calls: [{ name: "write_file", id: "call_write", args: { file_path: "/report.md", content: "draft" } }] },
              { content: "The report is written." },
            ],
          },
        },
      }],
    },
    input_payload: { instructions: "Write the report." },
  };
}
