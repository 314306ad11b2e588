// The run model: every streamed event of a thread folded into what the run view shows (branches
// of model and tool calls, todos, file snapshots, usage, errors, interrupts). Pure and
// framework-free, so Node tests drive it with recorded and contract-shaped events.

const ROOT = "";

/** A fresh model for one thread. */
export function newRun() {
  const root = newBranch(ROOT, null, null);
  return {
    version: 0,
    events: 0,
    lastSeq: -1,
    root,
    branches: new Map([[ROOT, root]]),
    /** Tool calls by toolKey: a run_id is the model's tool call id, unique only within its namespace. */
    toolCalls: new Map(),
    /** Open task tool calls, innermost last: brackets subagent events that carry no namespace. */
    openTasks: [],
    messages: [],
    todos: [],
    todoChanges: 0,
    files: {},
    snapshots: [],
    steps: [],
    usage: new Map(),
    errors: [],
    interrupts: [],
    /** The orchestrator's node name, once an event of the root names it. */
    rootNode: null,
    ends: [],
    ended: false,
  };
}

function newBranch(namespace, parent, toolCallId) {
  return { namespace, parent, toolCallId, name: null, description: null, status: "running", items: [], batch: 0 };
}

/** Folds one streamed event ({event_type, data, job_id?, seq?}) into the model; returns the model. */
export function apply(run, event, receivedAt = Date.now()) {
  if (!event || typeof event.event_type !== "string") return run;
  if (typeof event.seq === "number") {
    if (event.seq <= run.lastSeq) return run; // a replayed duplicate after a reconnect
    run.lastSeq = event.seq;
  }
  const data = isObject(event.data) ? event.data : {};
  const handler = HANDLERS[event.event_type];
  if (typeof data.node === "string" && !run.rootNode && branchOf(run, data) === run.root) run.rootNode = data.node;
  if (handler) handler(run, data, receivedAt, event);
  if (event.event_type !== "end") run.ended = false;
  run.events++;
  run.version++;
  return run;
}

const HANDLERS = {
  on_llm_stream(run, data, at) {
    const branch = branchOf(run, data);
    const call = openModelCall(branch, data.node, at);
    call.text += typeof data.token === "string" ? data.token : "";
  },
  on_model_start(run, data, at) {
    const branch = branchOf(run, data);
    closeModelCall(branch, at);
    branch.batch++;
    branch.items.push(modelCall(data.node, at, { model: data.model, step: data.step }));
  },
  on_model_end(run, data, at) {
    const branch = branchOf(run, data);
    const call = lastOpen(branch, "model") ?? openModelCall(branch, data.node, at);
    call.open = false;
    call.endedAt = at;
    if (isObject(data.usage)) call.usage = data.usage;
    if (typeof data.duration_ms === "number") call.durationMs = data.duration_ms;
    addUsage(run, call.node ?? data.node, data.usage, data.duration_ms);
  },
  on_retry(run, data, at) {
    branchOf(run, data).items.push({ kind: "retry", node: data.node, attempt: data.attempt, delayMs: data.delay_ms, reason: data.reason, at });
  },
  on_tool_start(run, data, at) {
    const branch = branchOf(run, data);
    closeModelCall(branch, at);
    const id = String(data.run_id ?? `tool-${run.events}`);
    const call = { kind: "tool", id, tool: data.tool, node: data.node, input: data.input, output: null, status: "running", startedAt: at, endedAt: null, batch: branch.batch, child: null };
    branch.items.push(call);
    run.toolCalls.set(toolKey(data, id), call);
    if (data.tool === "task") openTask(run, branch, call, data);
  },
  on_tool_end(run, data, at) {
    const id = String(data.run_id ?? "");
    let call = run.toolCalls.get(toolKey(data, id));
    if (call?.tool === "task") closeTask(run, call, data.status === "error" ? "error" : "success");
    if (!call) { // an end without its start (the start fell off a capped stream)
      call = { kind: "tool", id, tool: data.tool, node: data.node, input: null, status: "running", startedAt: null, batch: branchOf(run, data).batch, child: null };
      branchOf(run, data).items.push(call);
      run.toolCalls.set(toolKey(data, id), call);
    }
    call.output = data.output ?? null;
    call.status = data.status === "error" ? "error" : "success";
    call.endedAt = at;
  },
  on_subagent_start(run, data) {
    const branch = subagentBranch(run, data.namespace, data.parent_run_id);
    branch.name = data.subagent_type ?? branch.name;
    branch.description = data.description ?? branch.description;
  },
  on_subagent_end(run, data) {
    const branch = subagentBranch(run, data.namespace, data.parent_run_id);
    branch.status = data.status === "error" || data.status === "failed" ? "error" : "success";
  },
  on_state_update(run, data, at) {
    const branch = branchOf(run, data);
    if (branch !== run.root) return; // only the orchestrator's state is the thread's state
    closeModelCall(branch, at);
    foldState(run, data, at);
    branch.batch++;
  },
  on_interrupt(run, data, at) {
    run.interrupts = Array.isArray(data.interrupts) ? data.interrupts : [];
    branchOf(run, data).items.push({ kind: "interrupt", interrupts: run.interrupts, at });
  },
  error(run, data, at) {
    const entry = { kind: "error", error: String(data.error ?? "error"), context: data.context ?? null, at };
    run.errors.push(entry);
    branchOf(run, data).items.push(entry);
  },
  end(run, data, at, event) {
    for (const branch of run.branches.values()) {
      closeModelCall(branch, at);
      if (branch.status === "running" && branch !== run.root) branch.status = "unfinished";
    }
    run.ends.push({ jobId: data.job_id ?? event.job_id ?? null, status: data.status ?? null, at });
    run.openTasks = [];
    run.ended = true;
  },
};

/**
 * A tool call's key: its run_id within the event's namespace (subagents number their calls on
 * their own, so two branches may both have a "call_0_0"); events without a namespace (older
 * services) by run_id alone.
 */
function toolKey(data, id) {
  return typeof data.namespace === "string" ? `${data.namespace}|${id}` : id;
}

/** The branch an event belongs to: by its namespace when it has one, else inside the innermost open task. */
function branchOf(run, data) {
  if (typeof data.namespace === "string") return branchAt(run, data.namespace, data.parent_run_id);
  const open = run.openTasks.at(-1);
  return open ? open.branch : run.root;
}

function branchAt(run, namespace, parentRunId) {
  if (run.branches.has(namespace)) return run.branches.get(namespace);
  return subagentBranch(run, namespace, parentRunId);
}

/** "task:a/task:b" is the subagent started by tool call b inside the subagent of tool call a. */
function subagentBranch(run, namespace, parentRunId) {
  const ns = typeof namespace === "string" ? namespace : `task:${parentRunId}`;
  if (run.branches.has(ns)) return run.branches.get(ns);
  const segments = ns.split("/");
  const toolCallId = parentRunId ?? segments.at(-1).replace(/^task:/, "");
  const parent = segments.length > 1 ? branchAt(run, segments.slice(0, -1).join("/")) : run.root;
  const branch = newBranch(ns, parent, toolCallId);
  run.branches.set(ns, branch);
  const call = run.toolCalls.get(`${parent.namespace}|${toolCallId}`) ?? run.toolCalls.get(toolCallId);
  if (call) attach(call, branch);
  return branch;
}

function attach(call, branch) {
  call.child = branch;
  branch.name ??= call.input?.subagent_type ?? null;
  branch.description ??= call.input?.description ?? null;
}

function openTask(run, parent, call, data) {
  const namespace = (parent.namespace ? parent.namespace + "/" : "") + `task:${call.id}`;
  const branch = run.branches.get(namespace) ?? newBranch(namespace, parent, call.id);
  run.branches.set(namespace, branch);
  attach(call, branch);
  if (typeof data.namespace !== "string") run.openTasks.push({ id: call.id, branch });
}

function closeTask(run, call, status) {
  const index = run.openTasks.findIndex((t) => t.id === call.id);
  if (index >= 0) run.openTasks.splice(index);
  if (call.child && call.child.status === "running") call.child.status = status;
}

function modelCall(node, at, extra = {}) {
  return { kind: "model", node: node ?? null, text: "", open: true, startedAt: at, endedAt: null, usage: null, durationMs: null, message: null, ...extra };
}

function lastOpen(branch, kind) {
  const last = branch.items.at(-1);
  return last && last.kind === kind && last.open ? last : null;
}

function openModelCall(branch, node, at) {
  const open = lastOpen(branch, "model");
  if (open && (open.node === null || node === undefined || open.node === node)) return open;
  closeModelCall(branch, at);
  branch.batch++;
  const call = modelCall(node, at);
  branch.items.push(call);
  return call;
}

function closeModelCall(branch, at) {
  const open = lastOpen(branch, "model");
  if (!open) return;
  open.open = false;
  open.endedAt ??= at;
}

/**
 * A state event is the whole state, or (snapshot: false) what changed: messages appended from
 * message_offset, the files written and the todos when they changed.
 */
function foldState(run, data, at) {
  const delta = data.snapshot === false;
  const before = run.messages.length;
  if (Array.isArray(data.messages)) {
    const offset = delta && Number.isInteger(data.message_offset) ? data.message_offset : 0;
    run.messages = delta ? run.messages.slice(0, offset).concat(data.messages) : data.messages.slice();
  }
  attachMessages(run, before, at);
  if (Array.isArray(data.todos)) {
    if (JSON.stringify(data.todos) !== JSON.stringify(run.todos)) run.todoChanges++;
    run.todos = data.todos;
  }
  if (isObject(data.files)) {
    run.files = delta ? { ...run.files, ...data.files } : { ...data.files };
    const previous = run.snapshots.at(-1);
    if (!previous || !sameFiles(previous.files, run.files)) {
      run.snapshots.push({ label: `step ${run.steps.length + 1}`, step: run.steps.length + 1, files: run.files, at });
    }
  }
  run.steps.push({ step: run.steps.length + 1, at, messages: run.messages.length, todos: run.todos.length, files: Object.keys(run.files).length });
}

/**
 * New messages of the orchestrator: assistant messages complete (or stand for) its model calls;
 * a tool message whose call never ran (rejected by a person, or left unanswered by a stopped run)
 * has no tool events, so the message stands for the call.
 */
function attachMessages(run, from, at) {
  for (const message of run.messages.slice(from)) {
    if (message?.role === "assistant") attachAssistantMessage(run, message, at);
    else if (message?.role === "tool") attachUnrunToolCall(run, message, at);
  }
}

function attachUnrunToolCall(run, message, at) {
  const id = typeof message.tool_call_id === "string" ? message.tool_call_id : null;
  if (id === null || run.toolCalls.has(`|${id}`) || run.toolCalls.has(id)) return;
  const asked = run.messages.flatMap((m) => (m?.role === "assistant" && Array.isArray(m.tool_calls) ? m.tool_calls : []))
    .find((c) => c?.id === id);
  const call = { kind: "tool", id, tool: message.name ?? asked?.name ?? "tool", node: run.rootNode, input: asked?.args ?? null,
    output: message.content ?? null, status: "skipped", startedAt: null, endedAt: at, batch: run.root.batch, child: null };
  run.root.items.push(call);
  run.toolCalls.set(`|${id}`, call);
}

function attachAssistantMessage(run, message, at) {
  const items = run.root.items;
  let call = [...items].reverse().find((item) => item.kind === "model" && !item.message);
  const laterTool = call && items.indexOf(call) < items.length - 1;
  if (!call || laterTool) {
    call = modelCall(run.rootNode, at, { open: false, endedAt: at, text: "" });
    items.push(call);
  }
  call.message = message;
  if (!call.text && typeof message.content === "string") call.text = message.content;
}

function sameFiles(a, b) {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) => a[k] === b[k] || JSON.stringify(a[k]) === JSON.stringify(b[k]));
}

function addUsage(run, node, usage, durationMs) {
  const key = node ?? "(unknown)";
  const row = run.usage.get(key) ?? { node: key, calls: 0, input: 0, output: 0, cacheRead: 0, cacheWrite: 0, ms: 0 };
  row.calls++;
  if (isObject(usage)) {
    row.input += num(usage.input_tokens);
    row.output += num(usage.output_tokens);
    row.cacheRead += num(usage.cache_read_tokens);
    row.cacheWrite += num(usage.cache_write_tokens);
  }
  row.ms += num(durationMs);
  run.usage.set(key, row);
}

/**
 * The branch's items with consecutive tool calls of one model answer grouped:
 * [{kind: "batch", calls, parallel}] where parallel means several subagents were started at once.
 */
export function grouped(branch) {
  const out = [];
  for (const item of branch.items) {
    const last = out.at(-1);
    if (item.kind === "tool" && last?.kind === "batch" && last.batch === item.batch) last.calls.push(item);
    else if (item.kind === "tool") out.push({ kind: "batch", batch: item.batch, calls: [item] });
    else out.push(item);
  }
  for (const group of out) {
    if (group.kind === "batch") group.parallel = group.calls.filter((c) => c.child).length > 1;
  }
  return out;
}

/** Every subagent branch below the root, in order of appearance. */
export function subagents(run) {
  return [...run.branches.values()].filter((b) => b !== run.root);
}

/** The pending interrupts: those of the latest on_interrupt when the run parked after it. */
export function pendingInterrupts(run, state) {
  if (Array.isArray(state?.interrupts) && state.interrupts.length) return state.interrupts;
  if (state && state.status && state.status !== "interrupted") return [];
  return run.interrupts;
}

/** A file's text: the service stores files as arrays of lines. */
export function fileText(file) {
  if (file == null) return "";
  if (typeof file === "string") return file;
  if (Array.isArray(file.content)) return file.content.join("\n");
  return typeof file.content === "string" ? file.content : "";
}

function isObject(v) {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function num(v) {
  return typeof v === "number" && Number.isFinite(v) ? v : 0;
}
