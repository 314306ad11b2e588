// The run view: /state plus the thread's event stream, followed live while the run goes on and
// replayed from the stream afterwards. Timeline, todos, files, usage, interrupts and history.
import { html, useEffect, useRef, useState } from "../lib.js";
import { api, FINAL_STATUSES } from "../api.js";
import { follow } from "../stream.js";
import { apply, newRun, pendingInterrupts } from "../model/run.js";
import { durationBetween, formatMs, formatTokens, totalTokens } from "../format.js";
import { Notice, Payload, StatusBadge } from "./common.js";
import { Timeline } from "./timeline.js";
import { FilesPanel } from "./files.js";
import { Interrupts } from "./interrupts.js";
import { History } from "./history.js";
import { TodoList, UsagePanel } from "./panels.js";

/** A finished run whose stream yields nothing in this long has no event log left (expired). */
const EXPIRED_AFTER_MS = 3000;

export function RunPage({ id, query }) {
  const [state, setState] = useState({ loading: true, body: null, status: null });
  const [connection, setConnection] = useState("connecting");
  const [, setVersion] = useState(0);
  const [message, setMessage] = useState(null);
  const [follows, setFollows] = useState(0); // bumped to follow again (after a resume)
  const run = useRef(newRun());
  /** Whether the run was still going when this view opened (followed live) or already over (replayed). */
  const openedLive = useRef(null);

  const refresh = async () => {
    const result = await api.state(id);
    openedLive.current ??= result.ok ? !FINAL_STATUSES.has(result.body?.status) : null;
    setState({ loading: false, body: result.ok ? result.body : null, status: result.status });
    return result;
  };

  useEffect(() => { refresh(); }, [id]);
  useEffect(() => followRun(id, run.current, { setVersion, setConnection, refresh, transport: query.transport }), [id, follows]);
  useEffect(() => { // a run still going on is polled now and then for its status (parked, queued)
    const timer = setInterval(() => { if (!document.hidden && !FINAL_STATUSES.has(state.body?.status)) refresh(); }, 5000);
    return () => clearInterval(timer);
  }, [id, state.body?.status]);

  if (state.loading) return html`<p class="muted" role="status">Loading run ${id}…</p>`;
  if (state.status === 404) return html`<${Notice} kind="error">No run or thread with id <code>${id}</code>.<//>`;
  if (!state.body) return html`<${Notice} kind="error">The run could not be loaded (HTTP ${state.status}).<//>`;

  const body = state.body;
  const model = run.current;
  const status = displayedStatus(body, model);
  const jobId = body.job_id ?? id;
  const threadId = body.thread_id ?? id;
  const interrupts = pendingInterrupts(model, body);

  const cancel = async () => {
    const result = await api.cancel(jobId);
    // a running job stops at its next step; a queued or parked one is cancelled at once
    const text = status === "running" ? "Cancelling: the run stops at its next step." : "Cancelled.";
    setMessage(result.ok ? { kind: "info", text }
      : { kind: "error", text: result.body?.message ?? `Cancel answered ${result.status}` });
    refresh();
  };
  const resumed = () => {
    setMessage({ kind: "info", text: "Decisions sent: the run resumes." });
    run.current = newRun(); // the thread's stream is replayed whole into a fresh model
    setFollows((n) => n + 1);
    refresh();
  };

  return html`<article class="run" aria-labelledby="run-title" data-status=${status}>
    <div class="page-head run-head">
      <h1 id="run-title">Run <code>${jobId}</code></h1>
      <${StatusBadge} status=${status} />
      <span class=${`connection connection-${connection}`} role="status" aria-live="polite">${connectionText(connection, status, openedLive.current)}</span>
      <div class="spacer"></div>
      ${["running", "queued", "interrupted"].includes(status) ? html`<button type="button" class="danger" onClick=${cancel}>Cancel</button>` : null}
      <button type="button" onClick=${refresh}>Refresh</button>
    </div>
    <${RunFacts} body=${body} model=${model} threadId=${threadId} />
    ${message ? html`<${Notice} kind=${message.kind}>${message.text}<//>` : null}
    ${connection === "expired" ? html`<${Notice}>This run's event log has expired: only its final state is shown.<//>` : null}
    <${Outcome} body=${body} />
    ${interrupts.length ? html`<${Interrupts} jobId=${jobId} interrupts=${interrupts} onResumed=${resumed} />` : null}
    <div class="run-grid">
      <section class="timeline-column" aria-labelledby="timeline-title">
        <h2 id="timeline-title">Timeline</h2>
        <${Timeline} run=${model} live=${connection === "live"} />
      </section>
      <aside class="side-column" aria-label="Run details">
        <${TodoList} todos=${model.steps.length ? model.todos : body.todos ?? []} changes=${model.todoChanges} />
        <${FilesPanel} run=${model} finalFiles=${body.generated_files} threadId=${threadId} />
        <${UsagePanel} run=${model} usage=${body.usage ?? body.result?.usage} />
        <${History} threadId=${threadId} onSnapshot=${(snapshot) => {
          model.snapshots = [...model.snapshots, snapshot].sort((a, b) => (a.step ?? 0) - (b.step ?? 0));
          setVersion(++model.version);
        }} />
      </aside>
    </div>
  </article>`;
}

/** Follows the thread's stream into the model; returns the cleanup that stops following. */
function followRun(id, model, { setVersion, setConnection, refresh, transport }) {
  let frame = 0;
  let sawEvent = false;
  const repaint = () => {
    if (frame) return;
    frame = requestAnimationFrame(() => { frame = 0; setVersion(model.version); });
  };
  const watchdog = setTimeout(async () => {
    if (sawEvent) return;
    const state = await refresh();
    if (!sawEvent && FINAL_STATUSES.has(state.body?.status)) {
      stream.close();
      setConnection("expired");
    }
  }, EXPIRED_AFTER_MS);
  const stream = follow(id, {
    onEvent(event) {
      sawEvent = true;
      apply(model, event);
      repaint();
      if (event.event_type === "end") refresh();
    },
    onStatus: (status) => setConnection((now) => (now === "expired" ? now : status)),
    onMissing: () => setConnection("expired"),
    async next() {
      const state = await refresh();
      return ["running", "queued"].includes(state.body?.status);
    },
  }, { transport });
  return () => {
    clearTimeout(watchdog);
    cancelAnimationFrame(frame);
    stream.close();
  };
}

/** /state is the authority once it is final; while a stream is still running, so is the run. */
function displayedStatus(body, model) {
  if (FINAL_STATUSES.has(body.status) || body.status === "interrupted") return body.status;
  if (model.ended && model.interrupts.length) return "interrupted";
  return body.status ?? "unknown";
}

function connectionText(connection, status, openedLive) {
  if (connection === "live") return FINAL_STATUSES.has(status) && !openedLive ? "replaying the stream" : "live";
  if (connection === "closed") return openedLive ? "followed live to its end" : "replayed from the stream";
  if (connection === "reconnecting") return "reconnecting…";
  if (connection === "expired") return "event log expired";
  if (connection === "denied") return "the stream needs an API token";
  return "connecting…";
}

function RunFacts({ body, model, threadId }) {
  const duration = durationBetween(body.created_at, FINAL_STATUSES.has(body.status) ? body.updated_at : null);
  const usage = body.usage ?? body.result?.usage;
  return html`<dl class="facts">
    <div><dt>Thread</dt><dd><a href=${`#/runs?${new URLSearchParams({ thread_id: threadId })}`} title="The runs on this thread"><code>${threadId}</code></a></dd></div>
    <div><dt>Events</dt><dd data-testid="event-count">${model.events}</dd></div>
    <div><dt>Steps</dt><dd>${model.steps.length}</dd></div>
    <div><dt>Tokens</dt><dd>${formatTokens(totalTokens(usage))}</dd></div>
    ${duration != null ? html`<div><dt>Duration</dt><dd>${formatMs(duration)}</dd></div>` : null}
    ${Array.isArray(body.runs) && body.runs.length > 1 ? html`<div><dt>Runs on thread</dt><dd>${body.runs.length}</dd></div>` : null}
  </dl>`;
}

function Outcome({ body }) {
  if (body.status === "completed" && body.result) {
    return html`<section class="outcome-box ok" aria-label="Result"><${Payload} label="Result" value=${body.result.output ?? body.result} /></section>`;
  }
  if (body.error) {
    const error = body.error;
    return html`<section class="outcome-box error" aria-label="Error">
      <strong>${error.type ?? "Error"}</strong>: ${error.message ?? String(error)}
    </section>`;
  }
  return null;
}
