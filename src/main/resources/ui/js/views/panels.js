// Side panels of the run view: the todo list and the usage and timing per node and step.
import { html } from "../lib.js";
import { formatMs, formatTokens } from "../format.js";

export function TodoList({ todos, changes }) {
  return html`<section class="panel todos" aria-labelledby="todos-title">
    <h2 id="todos-title">Todos ${changes > 1 ? html`<span class="muted small">changed ${changes} times</span>` : null}</h2>
    ${todos.length ? html`<ul class="todo-list">
      ${todos.map((todo, n) => html`<li key=${n} class=${`todo todo-${todo.status}`} data-status=${todo.status}>
        <span class="todo-mark" aria-hidden="true">${todo.status === "completed" ? "✓" : todo.status === "in_progress" ? "▸" : "○"}</span>
        <span class="todo-content">${todo.content}</span>
        <span class="visually-hidden">(${todo.status?.replace("_", " ")})</span>
      </li>`)}
    </ul>` : html`<p class="muted">No todos.</p>`}
  </section>`;
}

export function UsagePanel({ run, usage }) {
  const rows = [...run.usage.values()];
  const modelCalls = countModelCalls(run);
  const steps = run.steps;
  return html`<section class="panel usage" aria-labelledby="usage-title">
    <h2 id="usage-title">Usage and timing</h2>
    ${usage ? html`<p class="small">Total: ${formatTokens(usage.input_tokens)} input, ${formatTokens(usage.output_tokens)} output${usage.cache_read_tokens ? `, ${formatTokens(usage.cache_read_tokens)} cached` : ""} tokens.</p>` : null}
    <table class="compact" aria-label="Usage per node">
      <thead><tr><th scope="col">Node</th><th scope="col">Model calls</th><th scope="col">Input</th><th scope="col">Output</th><th scope="col">Cached</th><th scope="col">Time</th></tr></thead>
      <tbody>
        ${[...modelCalls.entries()].map(([node, calls]) => {
          const row = run.usage.get(node);
          return html`<tr key=${node}><th scope="row">${node}</th><td>${row?.calls ?? calls}</td>
            <td>${row ? formatTokens(row.input) : "—"}</td><td>${row ? formatTokens(row.output) : "—"}</td>
            <td>${row ? formatTokens(row.cacheRead) : "—"}</td><td>${row?.ms ? formatMs(row.ms) : "—"}</td></tr>`;
        })}
      </tbody>
    </table>
    ${!rows.length && modelCalls.size ? html`<p class="muted small">Model calls are those seen in the stream (a subagent's calls that only call tools stream nothing); tokens and time per node appear when the service reports them (on_model_end events).</p>` : null}
    ${steps.length ? html`<details class="steps"><summary>${steps.length} orchestrator steps</summary>
      <table class="compact" aria-label="Steps">
        <thead><tr><th scope="col">Step</th><th scope="col">Messages</th><th scope="col">Todos</th><th scope="col">Files</th><th scope="col">After</th></tr></thead>
        <tbody>${steps.map((s, n) => html`<tr key=${n}><th scope="row">${s.step}</th><td>${s.messages}</td><td>${s.todos}</td><td>${s.files}</td>
          <td title="time since the previous step, as observed in this browser">${n ? formatMs(s.at - steps[n - 1].at) : "—"}</td></tr>`)}</tbody>
      </table></details>` : null}
  </section>`;
}

/** Model calls seen per node (the root's calls without a node are the orchestrator's). */
function countModelCalls(run) {
  const counts = new Map();
  for (const branch of run.branches.values()) {
    for (const item of branch.items) {
      if (item.kind !== "model") continue;
      const node = item.node ?? (branch === run.root ? "orchestrator" : branch.name ?? "subagent");
      counts.set(node, (counts.get(node) ?? 0) + 1);
    }
  }
  for (const node of run.usage.keys()) if (!counts.has(node)) counts.set(node, run.usage.get(node).calls);
  return counts;
}
