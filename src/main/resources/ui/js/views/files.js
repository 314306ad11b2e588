// The virtual file system: a folder tree, a viewer for the chosen file, and the changes of that
// file between two steps (state snapshots of the stream, or checkpoints loaded from the history).
import { html, useState } from "../lib.js";
import { fileText } from "../model/run.js";
import { fileTree } from "../model/tree.js";
import { diffLines, diffStats } from "../model/diff.js";

export function FilesPanel({ run, finalFiles }) {
  const snapshots = run.snapshots;
  const files = snapshots.length ? run.files : finalFiles ?? {};
  const paths = Object.keys(files);
  const [selected, setSelected] = useState(null);
  const [mode, setMode] = useState("view");
  const current = selected && paths.includes(selected) ? selected : null;

  return html`<section class="panel files" aria-labelledby="files-title">
    <h2 id="files-title">Files <span class="muted small">${paths.length}</span></h2>
    ${paths.length ? html`<${Folder} folder=${fileTree(paths)} selected=${current} onSelect=${setSelected} root />`
      : html`<p class="muted">No files yet.</p>`}
    ${current ? html`<div class="file-view">
      <div class="file-head">
        <code class="file-path">${current}</code>
        <div class="segmented" role="group" aria-label="File display">
          <button type="button" aria-pressed=${mode === "view"} onClick=${() => setMode("view")}>Content</button>
          <button type="button" aria-pressed=${mode === "diff"} onClick=${() => setMode("diff")} disabled=${snapshots.length < 1}>Changes</button>
        </div>
      </div>
      ${mode === "view" ? html`<pre class="file-content" tabindex="0" aria-label=${`Content of ${current}`}>${fileText(files[current])}</pre>`
        : html`<${FileDiff} path=${current} snapshots=${snapshots} />`}
    </div>` : null}
  </section>`;
}

function Folder({ folder, selected, onSelect, root }) {
  const body = html`<ul class="tree">
    ${folder.folders.map((f) => html`<li key=${f.path}><${Folder} folder=${f} selected=${selected} onSelect=${onSelect} /></li>`)}
    ${folder.files.map((f) => html`<li key=${f.path}>
      <button type="button" class="file-link" aria-current=${selected === f.path ? "true" : undefined} data-path=${f.path} onClick=${() => onSelect(f.path)}>${f.name}</button>
    </li>`)}
  </ul>`;
  if (root) return body;
  return html`<details open class="folder"><summary>${folder.name}/</summary>${body}</details>`;
}

/** Changes of one file between two snapshots: by default from the one before its last change to the latest. */
function FileDiff({ path, snapshots }) {
  const texts = snapshots.map((s) => (path in s.files ? fileText(s.files[path]) : null));
  const latest = snapshots.length - 1;
  let lastChange = latest;
  while (lastChange > 0 && texts[lastChange - 1] === texts[latest]) lastChange--;
  const [from, setFrom] = useState(Math.max(-1, lastChange - 1));
  const [to, setTo] = useState(latest);
  const before = from >= 0 ? texts[from] ?? "" : "";
  const after = texts[to] ?? "";
  const lines = diffLines(before, after);
  const stats = diffStats(lines);
  const option = (s, n) => html`<option key=${n} value=${n}>${s.label}</option>`;

  return html`<div class="diff">
    <div class="diff-controls">
      <label>From <select value=${from} onChange=${(e) => setFrom(Number(e.currentTarget.value))}>
        <option value="-1">(no file)</option>${snapshots.map(option)}</select></label>
      <label>To <select value=${to} onChange=${(e) => setTo(Number(e.currentTarget.value))}>${snapshots.map(option)}</select></label>
      <span class="muted small" data-testid="diff-stats">+${stats.added} −${stats.removed}</span>
    </div>
    <pre class="diff-lines" tabindex="0" aria-label=${`Changes of ${path}`}>${lines.map((l, n) => html`<span key=${n} class=${`line line-${l.op}`}>${l.op === "add" ? "+ " : l.op === "del" ? "- " : "  "}${l.text}\n</span>`)}</pre>
  </div>`;
}
