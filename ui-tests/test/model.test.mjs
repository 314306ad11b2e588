// The run view's model and helpers, in Node: events folded into branches, todos, file snapshots,
// usage and interrupts (today's events and the contract's new ones), JSON paths in text, the
// schema check of edited arguments, and the line diff.
import { test } from "node:test";
import assert from "node:assert/strict";
import { apply, grouped, newRun, pendingInterrupts, subagents } from "../../src/main/resources/ui/js/model/run.js";
import { locate, placeOf } from "../../src/main/resources/ui/js/model/jsonpath.js";
import { check } from "../../src/main/resources/ui/js/model/schema.js";
import { diffLines, diffStats } from "../../src/main/resources/ui/js/model/diff.js";
import { fileTree } from "../../src/main/resources/ui/js/model/tree.js";

const ev = (event_type, data = {}, extra = {}) => ({ event_type, data, ...extra });
const fold = (events) => events.reduce((run, e) => apply(run, e), newRun());
const file = (...lines) => ({ content: lines, created_at: "t", modified_at: "t" });

test("today's events: a task call brackets its subagent's events, two tasks of one answer run side by side", () => {
  const run = fold([
    ev("on_llm_stream", { token: "Plan", node: "lead" }),
    ev("on_state_update", { messages: [{ role: "user", content: "go" }, { role: "assistant", content: "Plan", tool_calls: [{ name: "task" }, { name: "task" }] }], todos: [], files: {} }),
    ev("on_tool_start", { tool: "task", run_id: "t1", node: "lead", input: { subagent_type: "researcher", description: "dig" } }),
    ev("on_tool_start", { tool: "write_file", run_id: "w1", node: "researcher", input: { file_path: "/a.md" } }),
    ev("on_tool_end", { tool: "write_file", run_id: "w1", node: "researcher", output: "ok", status: "success" }),
    ev("on_llm_stream", { token: "Done", node: "researcher" }),
    ev("on_tool_end", { tool: "task", run_id: "t1", node: "lead", output: "Done", status: "success" }),
    ev("on_tool_start", { tool: "task", run_id: "t2", node: "lead", input: { subagent_type: "writer" } }),
    ev("on_tool_end", { tool: "task", run_id: "t2", node: "lead", output: "boom", status: "error" }),
    ev("on_state_update", { messages: [], todos: [{ content: "x", status: "completed" }], files: { "/a.md": file("a") } }),
    ev("end"),
  ]);
  const [researcher, writer] = subagents(run);
  assert.equal(researcher.name, "researcher");
  assert.equal(researcher.description, "dig");
  assert.equal(researcher.status, "success");
  assert.deepEqual(researcher.items.map((i) => i.kind), ["tool", "model"]);
  assert.equal(researcher.items[1].text, "Done");
  assert.equal(writer.name, "writer");
  assert.equal(writer.status, "error");
  const groups = grouped(run.root);
  const batch = groups.find((g) => g.kind === "batch");
  assert.equal(batch.calls.length, 2);
  assert.equal(batch.parallel, true);
  assert.equal(run.root.items[0].node, "lead");
  assert.equal(run.root.items[0].message.tool_calls.length, 2);
  assert.deepEqual(run.todos, [{ content: "x", status: "completed" }]);
  assert.equal(run.snapshots.length, 2);
  assert.equal(run.ended, true);
});

test("a rejected call has no tool events: its tool message stands for it, once; a call that ran is not repeated", () => {
  const ask = { role: "assistant", content: "Writing.", tool_calls: [{ id: "call_write", name: "write_file", args: { file_path: "/r.md", content: "draft" } }] };
  const answer = { role: "tool", content: "Not this file, please.", tool_call_id: "call_write", name: "write_file" };
  const parked = [
    ev("on_llm_stream", { token: "Writing.", node: "main", namespace: "" }),
    ev("on_state_update", { messages: [{ role: "user", content: "go" }, ask], todos: [], files: {}, snapshot: true, message_offset: 0 }),
    ev("on_interrupt", { interrupts: [{ id: "|call_write", tool_call_id: "call_write", tool: "write_file" }] }),
    ev("end"),
  ];
  const rejected = fold([...parked,
    ev("on_state_update", { messages: [{ role: "user", content: "go" }, ask, answer], todos: [], files: {}, snapshot: true, message_offset: 0 }),
    ev("on_state_update", { messages: [{ role: "user", content: "go" }, ask, answer, { role: "assistant", content: "OK." }], todos: [], files: {}, snapshot: true, message_offset: 0 }),
    ev("end"),
  ]);
  const tools = rejected.root.items.filter((i) => i.kind === "tool");
  assert.equal(tools.length, 1);
  assert.deepEqual([tools[0].tool, tools[0].status, tools[0].output, tools[0].node], ["write_file", "skipped", "Not this file, please.", "main"]);
  assert.deepEqual(tools[0].input, { file_path: "/r.md", content: "draft" });

  const approved = fold([...parked,
    ev("on_tool_start", { tool: "write_file", run_id: "call_write", node: "main", namespace: "", input: { file_path: "/r.md", content: "draft" } }),
    ev("on_tool_end", { tool: "write_file", run_id: "call_write", node: "main", namespace: "", output: "Updated file /r.md", status: "success" }),
    ev("on_state_update", { messages: [{ role: "user", content: "go" }, ask, { ...answer, content: "Updated file /r.md" }], todos: [], files: {}, snapshot: true, message_offset: 0 }),
  ]);
  assert.deepEqual(approved.root.items.filter((i) => i.kind === "tool").map((t) => [t.status, t.output]), [["success", "Updated file /r.md"]]);
});

test("run_ids are unique only within a namespace: parallel subagents' calls with one id end each on its own", () => {
  const root = { node: "lead", namespace: "" };
  const r = { node: "researcher", namespace: "task:call_1_0", parent_run_id: "call_1_0" };
  const w = { node: "writer", namespace: "task:call_1_1", parent_run_id: "call_1_1" };
  const run = fold([
    ev("on_tool_start", { tool: "write_todos", run_id: "call_0_0", ...root }),
    ev("on_tool_end", { tool: "write_todos", run_id: "call_0_0", output: "todos", status: "success", ...root }),
    ev("on_tool_start", { tool: "task", run_id: "call_1_0", input: { subagent_type: "researcher" }, ...root }),
    ev("on_tool_start", { tool: "task", run_id: "call_1_1", input: { subagent_type: "writer" }, ...root }),
    ev("on_tool_start", { tool: "read_file", run_id: "call_0_0", ...w }),
    ev("on_tool_start", { tool: "write_file", run_id: "call_0_0", ...r }),
    ev("on_tool_end", { tool: "read_file", run_id: "call_0_0", output: "notes", status: "success", ...w }),
    ev("on_tool_end", { tool: "write_file", run_id: "call_0_0", output: "Updated file /n.md", status: "success", ...r }),
    ev("on_tool_end", { tool: "task", run_id: "call_1_1", output: "Wrote.", status: "success", ...root }),
    ev("on_tool_end", { tool: "task", run_id: "call_1_0", output: "Saved.", status: "error", ...root }),
    ev("end"),
  ]);
  const calls = (branch) => branch.items.filter((i) => i.kind === "tool").map((t) => [t.tool, t.status, t.output]);
  const [researcher, writer] = subagents(run);
  assert.deepEqual(calls(researcher), [["write_file", "success", "Updated file /n.md"]]);
  assert.deepEqual(calls(writer), [["read_file", "success", "notes"]]);
  assert.deepEqual(calls(run.root), [["write_todos", "success", "todos"], ["task", "error", "Saved."], ["task", "success", "Wrote."]]);
  assert.deepEqual([researcher.status, writer.status], ["error", "success"]);
  assert.equal(run.root.items[1].child, researcher);
});

test("contract events: namespaces nest subagents, model ends carry usage per node, retries and interrupts show", () => {
  const run = fold([
    ev("on_model_start", { node: "lead", namespace: "", model: "m", step: 1 }),
    ev("on_llm_stream", { token: "Hi", node: "lead", namespace: "" }),
    ev("on_model_end", { node: "lead", namespace: "", usage: { input_tokens: 10, output_tokens: 2, cache_read_tokens: 4, cache_write_tokens: 0 }, duration_ms: 120 }),
    ev("on_tool_start", { tool: "task", run_id: "a", node: "lead", namespace: "", input: { subagent_type: "r" } }),
    ev("on_subagent_start", { subagent_type: "researcher", description: "look", namespace: "task:a", parent_run_id: "a" }),
    ev("on_retry", { node: "researcher", attempt: 1, delay_ms: 500, reason: "HTTP 429", namespace: "task:a" }),
    ev("on_model_end", { node: "researcher", namespace: "task:a", usage: { input_tokens: 5, output_tokens: 1 }, duration_ms: 30 }),
    ev("on_tool_start", { tool: "task", run_id: "b", node: "researcher", namespace: "task:a", input: { subagent_type: "deep" } }),
    ev("on_llm_stream", { token: "deep", node: "deep", namespace: "task:a/task:b", parent_run_id: "b" }),
    ev("on_subagent_end", { namespace: "task:a/task:b", parent_run_id: "b", status: "success" }),
    ev("on_interrupt", { namespace: "", interrupts: [{ id: "i1", tool: "send_email", args: { to: "x" }, allowed_decisions: ["approve", "reject"] }] }),
    ev("end", { job_id: "j1", status: "interrupted" }),
  ]);
  const outer = run.branches.get("task:a");
  const inner = run.branches.get("task:a/task:b");
  assert.equal(outer.name, "researcher");
  assert.equal(outer.parent, run.root);
  assert.equal(inner.parent, outer);
  assert.equal(outer.items.find((i) => i.kind === "tool" && i.id === "b").child, inner);
  assert.equal(inner.status, "success");
  assert.ok(outer.items.some((i) => i.kind === "retry" && i.reason === "HTTP 429"));
  assert.deepEqual(run.usage.get("lead"), { node: "lead", calls: 1, input: 10, output: 2, cacheRead: 4, cacheWrite: 0, ms: 120 });
  assert.equal(run.root.items[0].text, "Hi");
  assert.equal(run.root.items[0].durationMs, 120);
  assert.equal(pendingInterrupts(run, { status: "running" }).length, 0);
  assert.equal(pendingInterrupts(run, {}).length, 1);
  assert.deepEqual(pendingInterrupts(run, { status: "interrupted", interrupts: [{ id: "z" }] }), [{ id: "z" }]);
  assert.deepEqual(run.ends, [{ jobId: "j1", status: "interrupted", at: run.ends[0].at }]);
});

test("state deltas append messages from their offset and merge files; duplicates by seq are dropped", () => {
  const run = fold([
    ev("on_state_update", { snapshot: true, message_offset: 0, messages: [{ role: "user", content: "a" }], todos: [], files: { "/x": file("1") } }, { seq: 1 }),
    ev("on_state_update", { snapshot: false, message_offset: 1, messages: [{ role: "assistant", content: "b" }], files: { "/y": file("2") } }, { seq: 2 }),
    ev("on_state_update", { snapshot: false, message_offset: 1, messages: [{ role: "assistant", content: "b" }], files: { "/y": file("2") } }, { seq: 2 }),
  ]);
  assert.equal(run.events, 2);
  assert.deepEqual(run.messages.map((m) => m.content), ["a", "b"]);
  assert.deepEqual(Object.keys(run.files).sort(), ["/x", "/y"]);
  assert.equal(run.snapshots.length, 2);
});

test("JSON paths of the service's problems are found in the text, missing members at their parent", () => {
  const text = '{\n  "nodes": [\n    {"id": "a", "type": "boss", "config": {"tools": ["x", "teleport"]}}\n  ]\n}';
  const positions = locate(text);
  const type = placeOf(positions, "$.nodes[0].type");
  assert.equal(text.slice(type.start, type.end), '"boss"');
  const tool = placeOf(positions, "$.nodes[0].config.tools[1]");
  assert.equal(text.slice(tool.start, tool.end), '"teleport"');
  const missing = placeOf(positions, "$.nodes[0].config.name");
  assert.equal(missing.exact, false);
  assert.equal(missing.path, "$.nodes[0].config");
  assert.throws(() => locate('{"a": [1, 2,]}'), (e) => e.line === 1 && e.column === 13);
});

test("edited arguments are checked against the tool's schema", () => {
  const schema = { type: "object", required: ["to", "count"], additionalProperties: false,
    properties: { to: { type: "string", pattern: "^[^@]+@[^@]+$" }, count: { type: "integer", minimum: 1 }, tags: { type: "array", items: { enum: ["a", "b"] } } } };
  assert.deepEqual(check(schema, { to: "x@y", count: 2, tags: ["a"] }), []);
  const problems = check(schema, { to: "nobody", count: 0.5, tags: ["c"], extra: 1 });
  assert.deepEqual(problems.map((p) => p.path).sort(), ["$.count", "$.extra", "$.tags[0]", "$.to"]);
  assert.deepEqual(check(schema, {}).map((p) => p.path), ["$.to", "$.count"]);
  assert.deepEqual(check({ type: "object", properties: { a: { oneOf: [{ type: "string" }, { type: "number" }] } } }, { a: true }).map((p) => p.path), ["$.a"]);
});

test("the line diff finds added and removed lines, and the file tree nests folders", () => {
  const lines = diffLines("a\nb\nc", "a\nB\nc\nd");
  assert.deepEqual(lines.map((l) => `${l.op}:${l.text}`), ["same:a", "del:b", "add:B", "same:c", "add:d"]);
  assert.deepEqual(diffStats(lines), { added: 2, removed: 1 });
  assert.deepEqual(diffLines("", "x").map((l) => l.op), ["add"]);
  const tree = fileTree(["/report.md", "/research/notes.md", "/research/deep/x.md"]);
  assert.deepEqual(tree.files.map((f) => f.path), ["/report.md"]);
  assert.equal(tree.folders[0].name, "research");
  assert.deepEqual(tree.folders[0].folders[0].files.map((f) => f.path), ["/research/deep/x.md"]);
});
