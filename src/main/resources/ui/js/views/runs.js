// The runs list: GET /jobs (newest first, status and thread filters, older pages by cursor),
// refreshed every 2 s while the tab is visible; on a service without that route, the runs
// started from this browser tab with their /state, and a notice saying so.
import { html, useEffect, useRef, useState } from "../lib.js";
import { api, FINAL_STATUSES, routeMissing } from "../api.js";
import { localRuns } from "../localRuns.js";
import { runHref } from "../router.js";
import { durationBetween, formatMs, formatTime, formatTokens, totalTokens } from "../format.js";
import { Notice, StatusBadge } from "./common.js";

const STATUSES = ["queued", "running", "interrupted", "completed", "failed", "cancelled"];
const REFRESH_MS = 2000;
const PAGE = 50;
const MAX_PAGE = 200;

export function RunsPage({ query = {} }) {
  const [filter, setFilter] = useState(() => new Set());
  const [live, setLive] = useState(true);
  const [data, setData] = useState({ loading: true, rows: [], source: null, error: null, next: null });
  const [tick, setTick] = useState(0);
  const [older, setOlder] = useState({ rows: [], next: null, busy: false });
  const shown = useRef(PAGE);
  const threadId = query.thread_id ?? null;

  useEffect(() => { setOlder({ rows: [], next: null, busy: false }); shown.current = PAGE; }, [filter, threadId]);
  useEffect(() => {
    const controller = new AbortController();
    loadRuns({ statuses: [...filter], threadId, limit: shown.current }, controller.signal).then(setData).catch(() => {});
    return () => controller.abort();
  }, [filter, threadId, tick]);
  useEffect(() => live ? whileVisible(() => setTick((t) => t + 1), REFRESH_MS) : undefined, [live]);

  const toggle = (status) => {
    const next = new Set(filter);
    next.has(status) ? next.delete(status) : next.add(status);
    setFilter(next);
  };
  const cursor = older.rows.length ? older.next : data.next;
  const loadOlder = async () => {
    setOlder((o) => ({ ...o, busy: true }));
    const page = await loadRuns({ statuses: [...filter], threadId, limit: PAGE, cursor });
    setOlder((o) => ({ rows: o.rows.concat(page.rows), next: page.next, busy: false }));
    shown.current = Math.min(MAX_PAGE, shown.current + page.rows.length);
  };
  const seen = new Set(data.rows.map((r) => r.job_id));
  const rows = data.rows.concat(older.rows.filter((r) => !seen.has(r.job_id)));

  return html`<section aria-labelledby="runs-title">
    <div class="page-head">
      <h1 id="runs-title">Runs</h1>
      ${threadId ? html`<span class="muted">on thread <code>${threadId}</code> · <a href="#/runs">all runs</a></span>` : null}
      <a class="button primary" href="#/new">New run</a>
    </div>
    <fieldset class="filters">
      <legend>Status</legend>
      ${STATUSES.map((status) => html`<label key=${status} class="check">
        <input type="checkbox" name="status" value=${status} checked=${filter.has(status)} onChange=${() => toggle(status)} /> ${status}
      </label>`)}
      <label class="check live-toggle"><input type="checkbox" checked=${live} onChange=${(e) => setLive(e.currentTarget.checked)} /> Refresh live</label>
      <button type="button" onClick=${() => setTick((t) => t + 1)}>Refresh</button>
    </fieldset>
    ${data.source === "local" ? html`<${Notice}>This service does not list jobs (no GET /jobs): showing the runs started from this browser tab.<//>` : null}
    ${data.error ? html`<${Notice} kind="error">${data.error}<//>` : null}
    <${RunsTable} rows=${rows} loading=${data.loading} />
    ${cursor && data.source === "service" ? html`<div class="actions">
      <button type="button" onClick=${loadOlder} disabled=${older.busy}>Older runs</button>
    </div>` : null}
  </section>`;
}

/** Calls `tick` every `ms` while the tab is visible, and at once when it becomes visible again. */
function whileVisible(tick, ms) {
  let timer = null;
  const sync = () => {
    if (document.hidden) {
      clearInterval(timer);
      timer = null;
    } else if (timer === null) {
      if (sync.started) tick();
      timer = setInterval(tick, ms);
    }
    sync.started = true;
  };
  sync();
  document.addEventListener("visibilitychange", sync);
  return () => {
    clearInterval(timer);
    document.removeEventListener("visibilitychange", sync);
  };
}

function RunsTable({ rows, loading }) {
  if (loading && !rows.length) return html`<p class="muted" role="status">Loading runs…</p>`;
  if (!rows.length) return html`<p class="muted" role="status">No runs${" "}<a href="#/new">start one</a>.</p>`;
  return html`<table class="runs" aria-label="Runs">
    <thead><tr><th scope="col">Job</th><th scope="col">Status</th><th scope="col">Started</th><th scope="col">Duration</th><th scope="col">Tokens</th><th scope="col">Definition</th></tr></thead>
    <tbody>
      ${rows.map((row) => html`<tr key=${row.job_id} data-job=${row.job_id}>
        <td><a href=${runHref(row.job_id)}>${row.job_id}</a>${row.thread_id && row.thread_id !== row.job_id
          ? html`<div class="muted small">thread <a href=${`#/runs?${new URLSearchParams({ thread_id: row.thread_id })}`}>${row.thread_id}</a></div>` : null}</td>
        <td><${StatusBadge} status=${row.status} />${row.error?.message ? html`<div class="muted small row-error" title=${row.error.message}>${row.error.type ?? "error"}</div>` : null}</td>
        <td>${formatTime(row.created_at)}</td>
        <td>${formatMs(row.duration_ms ?? (row.status === "running" ? durationBetween(row.created_at, new Date().toISOString()) : null))}</td>
        <td data-testid="tokens">${formatTokens(totalTokens(row.usage))}</td>
        <td>${row.definition_name ?? "—"}</td>
      </tr>`)}
    </tbody>
  </table>`;
}

async function loadRuns({ statuses, threadId, limit, cursor }, signal) {
  const query = { limit: String(limit) };
  if (statuses.length) query.status = statuses.join(",");
  if (threadId) query.thread_id = threadId;
  if (cursor) query.cursor = cursor;
  const listed = await api.jobs(query, { signal });
  if (listed.ok && Array.isArray(listed.body?.jobs)) {
    return { loading: false, rows: listed.body.jobs, source: "service", error: null, next: listed.body.next_cursor ?? null };
  }
  if (!routeMissing(listed)) {
    return { loading: false, rows: [], source: "service", error: listed.body?.message ?? `GET /jobs answered ${listed.status}`, next: null };
  }
  const rows = await Promise.all(localRuns().map(async (run) => {
    const state = await api.state(run.job_id, { signal });
    const body = state.ok ? state.body : {};
    return {
      job_id: run.job_id,
      thread_id: body.thread_id ?? run.thread_id,
      status: state.status === 404 ? "unknown" : body.status ?? "unknown",
      created_at: body.created_at ?? run.created_at,
      duration_ms: FINAL_STATUSES.has(body.status) ? durationBetween(body.created_at, body.updated_at) : null,
      usage: body.usage ?? body.result?.usage ?? null,
      definition_name: run.definition_name,
    };
  }));
  const shown = statuses.length ? rows.filter((r) => statuses.includes(r.status)) : rows;
  return { loading: false, rows: threadId ? shown.filter((r) => r.thread_id === threadId) : shown, source: "local", error: null, next: null };
}
