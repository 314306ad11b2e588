// The timeline: the orchestrator's model and tool calls in order, each subagent as a nested,
// collapsible branch under the task call that started it; subagents started by one model answer
// side by side.
import { html } from "../lib.js";
import { grouped } from "../model/run.js";
import { formatMs, formatTokens } from "../format.js";
import { Payload, StatusBadge } from "./common.js";

export function Timeline({ run, live }) {
  if (!run.events) return html`<p class="muted" role="status">Waiting for events…</p>`;
  return html`<div class="timeline" data-testid="timeline"><${Items} branch=${run.root} live=${live} /></div>`;
}

function Items({ branch, live }) {
  return html`<ol class="items">
    ${grouped(branch).map((item, n) => html`<li key=${n} class=${`item item-${item.kind}`}><${Item} item=${item} live=${live} /></li>`)}
  </ol>`;
}

function Item({ item, live }) {
  switch (item.kind) {
    case "model": return html`<${ModelCall} call=${item} live=${live} />`;
    case "batch": return html`<${Batch} batch=${item} live=${live} />`;
    case "error": return html`<div class="entry error-entry" role="note"><span class="kind">error</span> ${item.error}${item.context ? html` <span class="muted">(${item.context})</span>` : null}</div>`;
    case "retry": return html`<div class="entry retry-entry"><span class="kind">retry</span> ${item.node ?? ""} attempt ${item.attempt ?? "?"} in ${formatMs(item.delayMs)}${item.reason ? ` — ${item.reason}` : ""}</div>`;
    case "interrupt": return html`<div class="entry interrupt-entry"><span class="kind">interrupt</span> waiting for ${item.interrupts.length} decision${item.interrupts.length === 1 ? "" : "s"}</div>`;
    default: return null;
  }
}

function ModelCall({ call, live }) {
  const toolNames = (call.message?.tool_calls ?? []).map((c) => c.name);
  const streaming = call.open && live;
  return html`<div class="entry model-entry" data-node=${call.node ?? ""}>
    <div class="entry-head">
      <span class="kind">model</span>
      ${call.node ? html`<span class="node">${call.node}</span>` : null}
      ${call.model ? html`<span class="muted">${call.model}</span>` : null}
      ${toolNames.length ? html`<span class="muted">→ ${toolNames.join(", ")}</span>` : null}
      <span class="spacer"></span>
      ${call.usage ? html`<span class="muted small">${formatTokens(call.usage.input_tokens)} in · ${formatTokens(call.usage.output_tokens)} out${call.usage.cache_read_tokens ? ` · ${formatTokens(call.usage.cache_read_tokens)} cached` : ""}</span>` : null}
      ${call.durationMs != null ? html`<span class="muted small">${formatMs(call.durationMs)}</span>` : null}
    </div>
    ${call.text ? html`<p class=${`model-text${streaming ? " streaming" : ""}`}>${call.text}</p>` : null}
  </div>`;
}

function Batch({ batch, live }) {
  if (batch.parallel) {
    return html`<div class="parallel" role="group" aria-label=${`${batch.calls.length} tool calls of one model answer`}>
      ${batch.calls.map((call) => html`<div key=${call.id} class="parallel-lane"><${ToolCall} call=${call} live=${live} /></div>`)}
    </div>`;
  }
  return html`<div class="batch">${batch.calls.map((call) => html`<${ToolCall} key=${call.id} call=${call} live=${live} />`)}</div>`;
}

function ToolCall({ call, live }) {
  if (call.child) return html`<${Subagent} call=${call} branch=${call.child} live=${live} />`;
  const observed = call.startedAt != null && call.endedAt != null ? call.endedAt - call.startedAt : null;
  return html`<div class=${`entry tool-entry tool-${call.status}`} data-tool=${call.tool}>
    <div class="entry-head">
      <span class="kind">tool</span>
      <span class="tool-name">${call.tool}</span>
      ${call.node ? html`<span class="muted">by ${call.node}</span>` : null}
      <span class="spacer"></span>
      ${observed != null && observed > 0 ? html`<span class="muted small" title="observed in this browser">${formatMs(observed)}</span>` : null}
      <${StatusBadge} status=${call.status} />
    </div>
    <${Payload} label="args" value=${call.input} />
    ${call.output != null ? html`<${Payload} label=${call.status === "error" ? "error" : "result"} value=${call.output} className=${call.status === "error" ? "error-output" : ""} />` : null}
  </div>`;
}

function Subagent({ call, branch, live }) {
  const name = branch.name ?? call.input?.subagent_type ?? "subagent";
  return html`<details class=${`branch branch-${branch.status}`} open data-subagent=${name} data-namespace=${branch.namespace}>
    <summary>
      <span class="kind">subagent</span>
      <span class="branch-name">${name}</span>
      <${StatusBadge} status=${branch.status} />
      <span class="muted small">${branch.items.length} step${branch.items.length === 1 ? "" : "s"}</span>
    </summary>
    ${branch.description ? html`<p class="branch-description">${branch.description}</p>` : null}
    <${Items} branch=${branch} live=${live} />
    ${call.output != null ? html`<${Payload} label="returned" value=${call.output} />` : null}
  </details>`;
}
