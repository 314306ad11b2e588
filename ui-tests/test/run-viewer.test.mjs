// The run viewer in a real headless Chromium against the running service (scripts/test-ui.sh):
// runs list, starting the research-team example and watching it live, replay after a reload,
// validation problems at their paths, cancel, the API token, and keyboard use.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { BASE, example, newPage, openBrowser, screenshot, slowResearchTeam, startFromEditor, summary, waitForStatus } from "./helpers.mjs";

let browser;
before(async () => { browser = await openBrowser(); });
after(async () => { await browser?.close(); });

/** Every test ends with no script error and no Content-Security-Policy violation on its pages. */
function clean(page) {
  assert.deepEqual(page.problems, [], "script errors or CSP violations");
}

test("the research-team example started from the page completes: todos, two subagent branches side by side, files", async () => {
  const page = await newPage(browser.context);
  await page.goto(`${BASE}/ui/#/new`);
  await page.getByLabel("Example").selectOption("research-team");
  await page.getByRole("button", { name: "Check" }).click();
  await page.getByText("Valid: no problems found.").waitFor();
  await page.getByRole("button", { name: "Start", exact: true }).click();
  await page.waitForURL(/#\/runs\/ui-/);
  await waitForStatus(page, "completed");

  const todos = page.locator(".todo");
  assert.equal(await todos.count(), 2);
  assert.deepEqual(await todos.evaluateAll((els) => els.map((e) => e.dataset.status)), ["completed", "completed"]);
  const branches = page.locator("details.branch");
  assert.deepEqual(await branches.evaluateAll((els) => els.map((e) => e.dataset.subagent)), ["researcher", "writer"]);
  const [left, right] = await Promise.all([branches.nth(0).boundingBox(), branches.nth(1).boundingBox()]);
  assert.equal(Math.round(left.y), Math.round(right.y), "the two subagents of one answer sit side by side");
  assert.ok(right.x >= left.x + left.width - 1);
  assert.ok(await page.locator('details.branch[data-subagent="researcher"] .tool-entry[data-tool="write_file"]').count() === 1);

  assert.deepEqual(await page.locator(".file-link").evaluateAll((els) => els.map((e) => e.dataset.path)), ["/research/notes.md", "/report.md"]);
  await page.locator('.file-link[data-path="/report.md"]').click();
  assert.match(await page.locator(".file-content").textContent(), /^# Durable execution\nEvery step is checkpointed/);
  await page.getByRole("button", { name: "Changes" }).click();
  assert.equal(await page.getByTestId("diff-stats").textContent(), "+2 −0");
  assert.match(await page.locator(".outcome-box.ok").textContent(), /The report is ready in \/report\.md/);
  await page.locator("section.history li.checkpoint").first().waitFor();
  assert.equal(await page.getByTestId("history-unavailable").count(), 0, "the service lists the thread's checkpoints");
  clean(page);
  await page.close();
});

test("a run is followed live while it runs (todos and subagents appear before it ends), then finishes", async () => {
  const page = await newPage(browser.context);
  const id = await startFromEditor(page, slowResearchTeam(500));
  await waitForStatus(page, "running");
  await page.locator(".todo").first().waitFor();
  assert.equal(await page.locator("article.run").getAttribute("data-status"), "running");
  assert.equal(await page.locator(".connection").textContent(), "live");
  const early = Number(await page.getByTestId("event-count").textContent());
  await page.locator('details.branch[data-subagent="researcher"]').waitFor();
  await page.locator('details.branch[data-subagent="researcher"] .tool-entry[data-tool="write_file"]').waitFor();
  assert.equal(await page.locator("article.run").getAttribute("data-status"), "running");
  assert.ok(Number(await page.getByTestId("event-count").textContent()) > early, "events keep arriving while it runs");
  await screenshot(page, "run-view-running.png");

  await waitForStatus(page, "completed");
  await page.locator('details.branch[data-subagent="writer"] > summary .badge', { hasText: "success" }).waitFor();
  await page.locator('.file-link[data-path="/report.md"]').click();
  await screenshot(page, "run-view-finished.png");
  assert.ok(id.startsWith("ui-"));
  clean(page);
  await page.close();
});

test("reloading a finished run shows the same view, replayed from the stream (SSE and WebSocket)", async () => {
  const page = await newPage(browser.context);
  const id = await startFromEditor(page, slowResearchTeam(0));
  await waitForStatus(page, "completed");
  await page.locator('details.branch[data-subagent="writer"] > summary .badge', { hasText: "success" }).waitFor();
  const live = await summary(page);
  assert.ok(live.subagents.length === 2 && live.files.length === 2 && live.todos.length === 2, JSON.stringify(live));

  await page.reload();
  await waitForStatus(page, "completed");
  await page.locator(".connection", { hasText: "replayed from the stream" }).waitFor();
  assert.deepEqual(await summary(page), live);

  await page.goto(`${BASE}/ui/#/runs/${encodeURIComponent(id)}?transport=ws`);
  await waitForStatus(page, "completed");
  await page.getByTestId("event-count").filter({ hasText: live.events }).waitFor();
  assert.deepEqual(await summary(page), live);

  const dark = await browser.context.newPage();
  await dark.emulateMedia({ colorScheme: "dark" });
  await dark.goto(`${BASE}/ui/#/runs/${encodeURIComponent(id)}`);
  await waitForStatus(dark, "completed");
  const background = await dark.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.equal(background, "rgb(13, 17, 23)", "the dark theme follows prefers-color-scheme");
  await dark.locator('.file-link[data-path="/research/notes.md"]').click();
  await screenshot(dark, "run-view-dark.png");
  await dark.close();
  clean(page);
  await page.close();
});

test("Check shows each validation problem at its JSON path and selects it in the editor", async () => {
  const page = await newPage(browser.context);
  await page.goto(`${BASE}/ui/#/new`);
  const definition = { name: "broken", nodes: [{ id: "a", type: "boss", config: { name: "a", system_prompt: "p", tools: ["teleport"] } }] };
  await page.locator("#job-editor").fill(JSON.stringify(definition, null, 2));
  await page.getByRole("button", { name: "Check" }).click();
  const problems = page.locator(".problem");
  await problems.first().waitFor();
  const paths = await problems.evaluateAll((els) => els.map((e) => e.dataset.path));
  assert.ok(paths.includes("$.nodes[0].type") && paths.includes("$.nodes[0].config.tools[0]"), paths.join(", "));
  assert.match(await page.locator('.problem[data-path="$.nodes[0].type"]').textContent(), /DEF_NODE_TYPE/);

  await page.locator('.problem[data-path="$.nodes[0].type"] button').click();
  const selected = await page.locator("#job-editor").evaluate((t) => t.value.slice(t.selectionStart, t.selectionEnd));
  assert.equal(selected, '"boss"');
  assert.equal(await page.evaluate(() => document.activeElement.id), "job-editor");

  await page.locator("#job-editor").fill('{\n  "agent_definition": {,\n}');
  await page.getByRole("button", { name: "Check" }).click();
  assert.match(await page.locator(".problem").first().textContent(), /not valid JSON.*line 2, column 24/);

  const job = example("research-team");
  job.job_id = "bad id with spaces";
  await page.locator("#job-editor").fill(JSON.stringify(job));
  await page.getByRole("button", { name: "Start", exact: true }).click();
  await page.locator('.problem[data-path="$.job_id"]').waitFor();
  assert.match(await page.locator(".outcome").textContent(), /did not start the run \(HTTP 400\)/);
  clean(page);
  await page.close();
});

test("Cancel stops a running job and the view shows it stopped", async () => {
  const page = await newPage(browser.context);
  await startFromEditor(page, slowResearchTeam(1500));
  await waitForStatus(page, "running");
  await page.getByRole("button", { name: "Cancel" }).click();
  await page.getByText("Cancelling: the run stops at its next step.").waitFor();
  await waitForStatus(page, "cancelled");
  assert.match(await page.locator(".outcome-box.error").textContent(), /Cancel/);
  assert.equal(await page.getByRole("button", { name: "Cancel" }).count(), 0);
  await page.locator(".error-entry").first().waitFor();
  clean(page);
  await page.close();
});

test("the runs list shows the service's jobs with status, start, duration and tokens, filters by status and opens a run", async () => {
  const page = await newPage(browser.context);
  const id = await startFromEditor(page, slowResearchTeam(0));
  await waitForStatus(page, "completed");
  await page.getByRole("navigation").getByRole("link", { name: "Runs" }).click();
  const row = page.locator(`tr[data-job="${id}"]`);
  await row.waitFor();
  assert.equal(await row.locator(".badge").textContent(), "completed");
  assert.equal(await page.getByText("This service does not list jobs").count(), 0, "GET /jobs answers");
  assert.match(await row.getByTestId("tokens").textContent(), /^\d/, "a finished run shows its tokens");
  assert.match(await row.locator("td").nth(3).textContent(), /\d+(\.\d)? (ms|s)|min/, "and its duration");
  assert.notEqual(await row.locator("td").nth(2).textContent(), "—", "and its start time");

  // a run started elsewhere (not from this tab) appears while the page is open, running, then finished
  const other = slowResearchTeam(700);
  other.job_id = `list-${Date.now()}`;
  other.trace_id = "trace-list";
  const started = await fetch(`${BASE}/invoke`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(other) });
  assert.equal(started.status, 200);
  const live = page.locator(`tr[data-job="${other.job_id}"]`);
  await live.locator('.badge[data-status="running"]').waitFor({ timeout: 10_000 });
  assert.ok(await live.evaluate((tr) => tr.parentElement.firstElementChild === tr), "the newest run is listed first");
  await live.locator('.badge[data-status="completed"]').waitFor({ timeout: 30_000 });

  await page.getByLabel("failed").check();
  await row.waitFor({ state: "detached" });
  await page.getByLabel("completed").check();
  await row.waitFor();
  await page.getByLabel("failed").uncheck();
  await page.getByLabel("running").check();
  await row.waitFor();
  await page.getByLabel("completed").uncheck();
  await row.waitFor({ state: "detached" });
  await page.getByLabel("running").uncheck();
  await row.getByRole("link", { name: id }).click();
  await page.waitForURL(new RegExp(`#/runs/${id}$`));
  await waitForStatus(page, "completed");
  clean(page);
  await page.close();
});

test("the runs list polls only while the tab is visible", async () => {
  const page = await newPage(browser.context);
  const lists = [];
  page.on("request", (r) => { if (new URL(r.url()).pathname === "/jobs") lists.push(Date.now()); });
  await page.goto(`${BASE}/ui/#/runs`);
  await page.locator("table.runs, p.muted").first().waitFor();
  await page.waitForTimeout(4500);
  const visible = lists.length;
  assert.ok(visible >= 2 && visible <= 5, `about one request every 2 s while visible: ${visible}`);
  await page.evaluate(() => {
    Object.defineProperty(document, "hidden", { configurable: true, get: () => true });
    document.dispatchEvent(new Event("visibilitychange"));
  });
  const hiddenFrom = lists.length;
  await page.waitForTimeout(4500);
  assert.equal(lists.length, hiddenFrom, "no request while hidden");
  await page.evaluate(() => {
    Object.defineProperty(document, "hidden", { configurable: true, get: () => false });
    document.dispatchEvent(new Event("visibilitychange"));
  });
  await page.waitForTimeout(300);
  assert.ok(lists.length > hiddenFrom, "refreshed at once when visible again");
  clean(page);
  await page.close();
});

test("the API token typed in the page goes with every request as a bearer header, never in a URL", async () => {
  const page = await newPage(browser.context);
  const seen = [];
  page.on("request", (r) => { if (!r.url().includes("/ui/")) seen.push({ url: r.url(), auth: r.headers().authorization }); });
  await page.goto(`${BASE}/ui/#/runs`);
  await page.getByRole("button", { name: "API token" }).click();
  await page.getByLabel("API token").fill("secret-token-123");
  await page.getByRole("button", { name: "Save" }).click();
  await page.getByRole("button", { name: "API token: set" }).waitFor();
  await page.getByRole("navigation").getByRole("link", { name: "New run" }).click();
  await page.getByLabel("Example").selectOption("research-team");
  await page.getByRole("button", { name: "Start", exact: true }).click();
  await waitForStatus(page, "completed");
  const api = seen.filter((r) => /\/(examples|invoke|state|stream)\b/.test(r.url));
  assert.ok(api.length >= 4, JSON.stringify(seen));
  for (const request of api) {
    assert.equal(request.auth, "Bearer secret-token-123", request.url);
    assert.ok(!request.url.includes("secret-token-123"), request.url);
  }
  assert.equal(await page.evaluate(() => sessionStorage.getItem("agent-executor.token")), "secret-token-123");
  await page.evaluate(() => sessionStorage.clear());
  clean(page);
  await page.close();
});

test("the main controls are reachable with the keyboard, with a visible focus, and work from it", async () => {
  const page = await newPage(browser.context);
  await page.goto(`${BASE}/ui/#/new`);
  await page.locator("#job-editor").waitFor();
  const reached = [];
  for (let n = 0; n < 12; n++) {
    await page.keyboard.press("Tab");
    reached.push(await page.evaluate(() => {
      const e = document.activeElement;
      const style = getComputedStyle(e);
      const name = e.labels?.[0]?.textContent ?? e.getAttribute("aria-label") ?? e.textContent.trim();
      return { name: `${e.tagName.toLowerCase()}:${name}`, outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2 };
    }));
  }
  const names = reached.map((r) => r.name);
  for (const expected of ["a:Skip to content", "a:Runs", "a:New run", "button:API token", "select:Example",
    "textarea:Job or agent definition (JSON)", "button:Check", "button:Start"]) {
    assert.ok(names.includes(expected), `${expected} not reached by Tab: ${names.join(" | ")}`);
  }
  // past the last control, focus leaves the page (body): that is the browser's, not a control
  assert.deepEqual(reached.filter((r) => !r.outline && !r.name.startsWith("body:")), [], "every focused control shows a focus ring");

  await page.locator("#example").focus();
  await page.keyboard.press("ArrowDown");
  assert.match(await page.locator("#job-editor").inputValue(), /"agent_definition"/);
  await page.keyboard.press("End"); // research-team, the last example, runs without a model key
  assert.match(await page.locator("#job-editor").inputValue(), /"name": "research-team"/);
  await page.getByRole("button", { name: "Check" }).focus();
  await page.keyboard.press("Enter");
  await page.locator(".outcome .notice").waitFor();
  await page.getByRole("button", { name: "Start", exact: true }).focus();
  await page.keyboard.press("Enter");
  await page.waitForURL(/#\/runs\//);
  await page.locator("article.run").waitFor();
  await page.locator("details.branch").first().waitFor({ timeout: 20_000 });
  await page.locator("details.branch > summary").first().focus();
  await page.keyboard.press("Enter");
  assert.equal(await page.locator("details.branch").first().evaluate((d) => d.open), false, "a subagent branch folds from the keyboard");
  clean(page);
  await page.close();
});
