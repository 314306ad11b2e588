// The runs list: GET /jobs (status filter, refreshed live); on a service without that route,
// the runs started from this browser tab with their /state, and a notice saying so.
import { html, useEffect, useState } from "../lib.js";
import { api, FINAL_STATUSES, routeMissing } from "../api.js";
import { localRuns } from "../localRuns.js";
import { runHref } from "../router.js";
import { durationBetween, formatMs, formatTime, formatTokens, totalTokens } from "../format.js";
import { Notice, StatusBadge } from "./common.js";

const STATUSES = ["queued", "running", "interrupted", "completed", "failed", "cancelled"];
const REFRESH_MS = 3000;

export function RunsPage() {
  const [filter, setFilter] = useState(() => new Set());
  const [live, setLive] = useState(true);
  const [data, setData] = useState({ loading: true, rows: [], source: null, error: null, next: null });
  const [tick, setTick] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    loadRuns([...filter], controller.signal).then(setData).catch(() => {});
    return () => controller.abort();
  }, [filter, tick]);
  useEffect(() => {
    if (!live) return undefined;
    const timer = setInterval(() => { if (!document.hidden) setTick((t) => t + 1); }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [live]);

  const toggle = (status) => {
    const next = new Set(filter);
    next.has(status) ? next.delete(status) : next.add(status);
    setFilter(next);
  };

  return html`<section aria-labelledby="runs-title">
    <div class="page-head">
      <h1 id="runs-title">Runs</h1>
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
    <${RunsTable} rows=${data.rows} loading=${data.loading} />
  </section>`;
}

function RunsTable({ rows, loading }) {
  if (loading && !rows.length) return html`<p class="muted" role="status">Loading runs…</p>`;
  if (!rows.length) return html`<p class="muted" role="status">No runs${" "}<a href="#/new">start one</a>.</p>`;
  return html`<table class="runs" aria-label="Runs">
    <thead><tr><th scope="col">Job</th><th scope="col">Status</th><th scope="col">Started</th><th scope="col">Duration</th><th scope="col">Tokens</th><th scope="col">Definition</th></tr></thead>
    <tbody>
      ${rows.map((row) => html`<tr key=${row.job_id} data-job=${row.job_id}>
        <td><a href=${runHref(row.job_id)}>${row.job_id}</a>${row.thread_id && row.thread_id !== row.job_id ? html`<div class="muted small">thread ${row.thread_id}</div>` : null}</td>
        <td><${StatusBadge} status=${row.status} /></td>
        <td>${formatTime(row.created_at)}</td>
        <td>${formatMs(row.duration_ms)}</td>
        <td>${formatTokens(totalTokens(row.usage))}</td>
        <td>${row.definition_name ?? "—"}</td>
      </tr>`)}
    </tbody>
  </table>`;
}

async function loadRuns(statuses, signal) {
  const query = { limit: "50" };
  if (statuses.length) query.status = statuses.join(",");
  const listed = await api.jobs(query, { signal });
  if (listed.ok && Array.isArray(listed.body?.jobs)) {
    return { loading: false, rows: listed.body.jobs, source: "service", error: null, next: listed.body.next ?? null };
  }
  if (!routeMissing(listed)) {
    return { loading: false, rows: [], source: "service", error: listed.body?.message ?? `GET /jobs answered ${listed.status}` };
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
  return { loading: false, rows: shown, source: "local", error: null, next: null };
}
