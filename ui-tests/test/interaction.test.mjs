// Stepping into a run from the page, in a real headless Chromium against the running service:
// approve / edit / reject a parked run's interrupts and watch it finish, cancel a parked run, a
// refused decision shown with the service's problems, and the thread's checkpoint history with
// "fork from here" starting a new run.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { BASE, approvalJob, newPage, openBrowser, screenshot, slowResearchTeam, startFromEditor, waitForStatus } from "./helpers.mjs";

let browser;
before(async () => { browser = await openBrowser(); });
after(async () => { await browser?.close(); });

function clean(page) {
  assert.deepEqual(page.problems, [], "script errors or CSP violations");
}

const api = (method, path, body) => fetch(`${BASE}${path}`, {
  method, headers: { "Content-Type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body),
});

test("approve a parked run's interrupt from the page and watch it finish", async () => {
  const page = await newPage(browser.context);
  await startFromEditor(page, approvalJob());
  await waitForStatus(page, "interrupted");
  const panel = page.locator("section.interrupts");
  await panel.getByRole("heading", { name: "Waiting for your decision" }).waitFor();
  const interrupt = panel.locator('fieldset.interrupt[data-tool="write_file"]');
  assert.match(await interrupt.textContent(), /Writing a file needs approval\./);
  assert.match(await interrupt.textContent(), /"file_path": "\/report\.md"/);
  assert.equal(await page.locator('.file-link[data-path="/report.md"]').count(), 0, "nothing written before the decision");
  await page.locator('.file-link').first().waitFor({ state: "detached" }).catch(() => {});
  await screenshot(page, "run-view-parked.png");

  await interrupt.getByLabel("approve").check();
  await panel.getByRole("button", { name: "Send decision" }).click();
  await waitForStatus(page, "completed", 30_000);
  assert.equal(await page.locator("section.interrupts").count(), 0, "no decision is asked for any more");
  await page.locator('.file-link[data-path="/report.md"]').click();
  assert.equal(await page.locator(".file-content").textContent(), "draft");
  assert.match(await page.locator(".outcome-box.ok").textContent(), /The report is written\./);
  clean(page);
  await page.close();
});

test("edit checks the arguments against the tool's schema as you type; the edited call runs", async () => {
  const page = await newPage(browser.context);
  await startFromEditor(page, approvalJob());
  await waitForStatus(page, "interrupted");
  const panel = page.locator("section.interrupts");
  await panel.getByLabel("edit").check();
  const editor = panel.getByLabel("Arguments (JSON)");
  assert.deepEqual(JSON.parse(await editor.inputValue()), { file_path: "/report.md", content: "draft" }, "seeded with the arguments");
  const send = panel.getByRole("button", { name: "Send decision" });

  await editor.fill('{"file_path": 3, "content": "x"}');
  await panel.locator('.problem[data-path="$.file_path"]').waitFor();
  assert.equal(await send.isDisabled(), true, "arguments that break the schema cannot be sent");
  assert.equal(await editor.getAttribute("aria-invalid"), "true");
  await editor.fill('{"file_path": "/report.md"');
  await panel.locator(".problem", { hasText: "not valid JSON" }).waitFor();
  await editor.fill('{"file_path": "/report.md", "content": "approved text"}');
  await panel.locator(".problem").first().waitFor({ state: "detached" });
  assert.equal(await send.isDisabled(), false);
  await send.click();

  await waitForStatus(page, "completed", 30_000);
  await page.locator('.file-link[data-path="/report.md"]').click();
  assert.equal(await page.locator(".file-content").textContent(), "approved text");
  clean(page);
  await page.close();
});

test("reject with a reason: nothing is written and the model is told why", async () => {
  const page = await newPage(browser.context);
  await startFromEditor(page, approvalJob());
  await waitForStatus(page, "interrupted");
  const panel = page.locator("section.interrupts");
  await panel.getByLabel("reject").check();
  await panel.getByLabel("Reason (the model sees it)").fill("Not this file, please.");
  await panel.getByRole("button", { name: "Send decision" }).click();
  await waitForStatus(page, "completed", 30_000);
  assert.equal(await page.locator('.file-link[data-path="/report.md"]').count(), 0);
  await page.locator(".tool-entry", { hasText: "Not this file, please." }).first().waitFor();
  clean(page);
  await page.close();
});

test("Cancel on a parked run cancels it at once; a decision sent afterwards is refused with the service's answer", async () => {
  const page = await newPage(browser.context);
  const id = await startFromEditor(page, approvalJob());
  await waitForStatus(page, "interrupted");
  const stale = await browser.context.newPage();
  await stale.goto(`${BASE}/ui/#/runs/${encodeURIComponent(id)}`);
  await waitForStatus(stale, "interrupted");

  await page.getByRole("button", { name: "Cancel" }).click();
  await waitForStatus(page, "cancelled");
  assert.equal(await page.locator("section.interrupts").count(), 0);

  // the other tab still shows the old decision form: its answer is the service's 409
  await stale.locator("section.interrupts").getByRole("button", { name: "Send decision" }).click();
  await stale.getByText("The service refused the decisions (HTTP 409)").waitFor();
  await stale.locator(".problem", { hasText: "NOT_INTERRUPTED" }).first().waitFor();
  await stale.close();
  clean(page);
  await page.close();
});

test("the checkpoint history lists the thread's checkpoints and Fork from here starts a new run", async () => {
  const page = await newPage(browser.context);
  const id = await startFromEditor(page, slowResearchTeam(0));
  await waitForStatus(page, "completed");
  const history = page.locator("section.history");
  const checkpoints = history.locator("li.checkpoint");
  await checkpoints.first().waitFor();
  assert.ok(await checkpoints.count() >= 3, "one checkpoint per step");

  const oldest = checkpoints.last();
  await oldest.getByRole("button", { name: /Fork from step/ }).click();
  await page.waitForURL(/#\/new\?/);
  const job = JSON.parse(await page.locator("#job-editor").inputValue());
  assert.equal(job.thread_id, id);
  assert.ok(job.checkpoint_id, "the fork names its checkpoint");
  assert.notEqual(job.job_id, id);
  await page.getByRole("button", { name: "Start", exact: true }).click();
  await page.waitForURL(new RegExp(`#/runs/${job.job_id}$`));
  await waitForStatus(page, "completed", 30_000);

  // the fork ran on a thread of its own: the original thread is untouched
  const original = await (await api("GET", `/threads/${encodeURIComponent(id)}/history?limit=200`)).json();
  assert.ok(original.checkpoints.every((c) => c.job_id === undefined || c.job_id === id), "no checkpoint of the fork on the original thread");
  const forked = await (await api("GET", `/state/${encodeURIComponent(job.job_id)}`)).json();
  assert.equal(forked.status, "completed");
  clean(page);
  await page.close();
});
