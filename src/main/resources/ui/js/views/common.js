// Small building blocks shared by the pages.
import { html } from "../lib.js";
import { formatJson } from "../format.js";

const LONG_CHARS = 400;
const LONG_LINES = 8;

export function StatusBadge({ status }) {
  const value = status ?? "unknown";
  return html`<span class=${`badge status-${value}`} data-status=${value}>${value}</span>`;
}

/** Text or JSON shown whole when short, else folded behind a one-line preview. */
export function Payload({ label, value, className = "" }) {
  const text = formatJson(value);
  if (text === "" || text == null) return null;
  const lines = text.split("\n").length;
  if (text.length <= LONG_CHARS && lines <= LONG_LINES) {
    return html`<div class=${`payload ${className}`}><span class="payload-label">${label}</span><pre>${text}</pre></div>`;
  }
  const preview = text.replace(/\s+/g, " ").slice(0, 90);
  return html`<details class=${`payload long ${className}`}>
    <summary><span class="payload-label">${label}</span> <span class="muted">${preview}… (${text.length.toLocaleString()} characters)</span></summary>
    <pre>${text}</pre>
  </details>`;
}

export function Notice({ kind = "info", children }) {
  return html`<p class=${`notice notice-${kind}`} role=${kind === "error" ? "alert" : "status"}>${children}</p>`;
}

export function Problems({ problems, onSelect }) {
  if (!problems?.length) return null;
  return html`<ul class="problems" aria-label="Problems">
    ${problems.map((p, n) => html`<li key=${n} class="problem" data-path=${p.path}>
      ${onSelect
        ? html`<button type="button" class="link problem-path" onClick=${() => onSelect(p)} title="Show this place in the editor">${p.path}</button>`
        : html`<code class="problem-path">${p.path}</code>`}
      <span class="problem-message">${p.message}</span>
      ${p.code ? html`<code class="problem-code">${p.code}</code>` : null}
    </li>`)}
  </ul>`;
}
