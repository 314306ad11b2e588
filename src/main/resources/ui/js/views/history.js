// The thread's checkpoint history (GET /threads/{id}/history), newest first, with "fork from
// here"; hidden behind a notice on a service without the route.
import { html, useEffect, useState } from "../lib.js";
import { api, routeMissing } from "../api.js";
import { go } from "../router.js";
import { formatTime } from "../format.js";

export function History({ threadId, onSnapshot }) {
  const [page, setPage] = useState({ loading: true, checkpoints: [], next: null, unsupported: false, error: null });
  const load = async (before) => {
    const query = { limit: "20" };
    if (before) query.before = before;
    const answer = await api.history(threadId, query);
    if (routeMissing(answer) && !answer.body?.checkpoints && !before) return setPage((p) => ({ ...p, loading: false, unsupported: true }));
    if (!answer.ok) return setPage((p) => ({ ...p, loading: false, error: answer.body?.message ?? `HTTP ${answer.status}` }));
    setPage((p) => ({ loading: false, unsupported: false, error: null, next: answer.body.next_before ?? null,
      checkpoints: (before ? p.checkpoints : []).concat(answer.body.checkpoints ?? []) }));
  };
  useEffect(() => { load(null); }, [threadId]);

  const [loaded, setLoaded] = useState(() => new Set());
  /** The checkpoint's files join the file viewer's snapshots, for its "changes between steps". */
  const files = async (c) => {
    const answer = await api.checkpoint(threadId, c.checkpoint_id, c.namespace ?? "");
    if (!answer.ok || !answer.body?.state?.files) return;
    onSnapshot({ label: `checkpoint step ${c.step ?? "?"}`, step: c.step, files: answer.body.state.files, checkpoint: c.checkpoint_id });
    setLoaded((s) => new Set(s).add(c.checkpoint_id));
  };
  const fork = (checkpoint) => go(`#/new?${new URLSearchParams({ thread_id: threadId, checkpoint_id: checkpoint.checkpoint_id })}`);

  return html`<section class="panel history" aria-labelledby="history-title">
    <h2 id="history-title">Checkpoints</h2>
    ${page.unsupported ? html`<p class="muted small" data-testid="history-unavailable">This service does not list a thread's checkpoints (no GET /threads/{id}/history).</p>` : null}
    ${page.error ? html`<p class="notice notice-error">${page.error}</p>` : null}
    ${page.checkpoints.length ? html`<ol class="checkpoints">
      ${page.checkpoints.map((c) => html`<li key=${c.checkpoint_id} class="checkpoint">
        <span>step ${c.step ?? "?"}${c.node ? ` · ${c.node}` : ""}${c.namespace ? html` <code>${c.namespace}</code>` : null}</span>
        <span class="muted small">${formatTime(c.created_at)}</span>
        <button type="button" onClick=${() => files(c)} disabled=${loaded.has(c.checkpoint_id)}>Files</button>
        <button type="button" onClick=${() => fork(c)} aria-label=${`Fork from step ${c.step ?? "?"} (checkpoint ${c.checkpoint_id})`}>Fork from here</button>
      </li>`)}
    </ol>` : null}
    ${page.next ? html`<button type="button" onClick=${() => load(page.next)}>Older checkpoints</button>` : null}
  </section>`;
}
