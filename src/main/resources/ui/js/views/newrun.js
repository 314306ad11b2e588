// New run: pick an example or paste a job (or a bare agent definition), check it with the
// service's own validation (problems shown at their JSON paths), start it and open its run view.
import { html, useEffect, useRef, useState } from "../lib.js";
import { api, problemsOf } from "../api.js";
import { localRun, rememberRun } from "../localRuns.js";
import { go, runHref } from "../router.js";
import { newId } from "../format.js";
import { locate, placeOf } from "../model/jsonpath.js";
import { Notice, Problems } from "./common.js";

export function NewRunPage({ query }) {
  const [examples, setExamples] = useState({ list: [], note: null });
  const [text, setText] = useState(() => initialText(query));
  const [instructions, setInstructions] = useState("");
  const [outcome, setOutcome] = useState(null);
  const [busy, setBusy] = useState(false);
  const editor = useRef(null);

  useEffect(() => {
    api.examples().then((r) => setExamples(r.ok && Array.isArray(r.body)
      ? { list: r.body, note: null }
      : { list: [], note: "This service offers no examples (GET /examples)." }));
  }, []);

  const parsed = parse(text);
  const bareDefinition = parsed.value !== undefined && !isJob(parsed.value);

  const showAt = (problem) => {
    const area = editor.current;
    if (!area) return;
    let place = null;
    try {
      place = placeOf(locate(area.value), problem.path);
    } catch (e) {
      place = { start: e.offset ?? 0, end: (e.offset ?? 0) + 1 };
    }
    if (!place) return;
    area.focus();
    area.setSelectionRange(place.start, place.end);
    const line = area.value.slice(0, place.start).split("\n").length;
    area.scrollTop = Math.max(0, (line - 3) * lineHeight(area));
  };

  const check = async () => {
    if (parsed.error) return setOutcome({ kind: "invalid", problems: [parsed.error] });
    setBusy(true);
    const document = bareDefinition ? parsed.value : withIds(parsed.value);
    const result = await api.validate(document);
    setBusy(false);
    if (result.ok) setOutcome(result.body.valid ? { kind: "valid" } : { kind: "invalid", problems: result.body.problems });
    else setOutcome({ kind: "invalid", problems: problemsOf(result) });
  };

  const start = async () => {
    if (parsed.error) return setOutcome({ kind: "invalid", problems: [parsed.error] });
    const job = bareDefinition
      ? withIds({ agent_definition: parsed.value, input_payload: { instructions: instructions || "Start." } })
      : withIds(parsed.value);
    setBusy(true);
    const result = await api.invoke(job);
    setBusy(false);
    if (!result.ok) return setOutcome({ kind: "rejected", status: result.status, problems: problemsOf(result) });
    rememberRun(job, result.body);
    go(runHref(result.body?.job_id ?? job.job_id));
  };

  const pick = (event) => {
    const example = examples.list.find((e) => e.name === event.currentTarget.value);
    if (!example) return;
    // Without its fixed ids, so that every start is a new run (a finished job id only replays its result).
    const { job_id: _jobId, trace_id: _traceId, ...job } = example.job;
    setText(JSON.stringify(job, null, 2));
    setOutcome(null);
  };

  return html`<section aria-labelledby="new-title" class="new-run">
    <div class="page-head"><h1 id="new-title">New run</h1></div>
    ${query.checkpoint_id ? html`<${Notice}>Forking thread <code>${query.thread_id}</code> from checkpoint <code>${query.checkpoint_id}</code>: the new run gets its own thread.${localRun(query.thread_id)?.job ? "" : " Paste the agent definition of the original run."}<//>` : null}
    <div class="field">
      <label for="example">Example</label>
      <select id="example" onChange=${pick} disabled=${!examples.list.length}>
        <option value="">${examples.list.length ? "Choose an example…" : "No examples"}</option>
        ${examples.list.map((e) => html`<option key=${e.name} value=${e.name}>${e.name}${e.needs && e.needs !== "nothing (scripted provider)" ? ` (needs ${e.needs})` : ""}</option>`)}
      </select>
      ${examples.note ? html`<span class="muted small">${examples.note}</span>` : null}
    </div>
    <div class="field">
      <label for="job-editor">Job or agent definition (JSON)</label>
      <p class="muted small" id="job-editor-help">A job ({agent_definition, input_payload}); job_id and trace_id are generated when missing. A bare agent definition is checked alone and started with the instructions below.</p>
      <textarea id="job-editor" ref=${editor} class="editor" spellcheck="false" rows="22" aria-describedby="job-editor-help"
        value=${text} onInput=${(e) => { setText(e.currentTarget.value); setOutcome(null); }}></textarea>
    </div>
    ${bareDefinition ? html`<div class="field">
      <label for="instructions">Instructions</label>
      <input id="instructions" type="text" value=${instructions} onInput=${(e) => setInstructions(e.currentTarget.value)} />
    </div>` : null}
    <div class="actions">
      <button type="button" onClick=${check} disabled=${busy}>Check</button>
      <button type="button" class="primary" onClick=${start} disabled=${busy}>Start</button>
    </div>
    <div aria-live="polite" class="outcome">
      ${outcome?.kind === "valid" ? html`<p class="notice notice-ok" role="status">Valid: no problems found.</p>` : null}
      ${outcome?.kind === "invalid" ? html`<p class="notice notice-error" role="status">${outcome.problems.length} ${outcome.problems.length === 1 ? "problem" : "problems"}:</p>` : null}
      ${outcome?.kind === "rejected" ? html`<p class="notice notice-error" role="status">The service did not start the run (HTTP ${outcome.status}):</p>` : null}
      <${Problems} problems=${outcome?.problems} onSelect=${showAt} />
    </div>
  </section>`;
}

function parse(text) {
  try {
    locate(text);
    return { value: JSON.parse(text) };
  } catch (e) {
    return { error: { code: "BODY_NOT_JSON", path: "$", message: `not valid JSON: ${e.message}`, offset: e.offset } };
  }
}

function isJob(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value) && "agent_definition" in value;
}

/** job_id and trace_id are filled in when missing, as the page promises; nothing else changes. */
function withIds(job) {
  if (job === null || typeof job !== "object" || Array.isArray(job)) return job;
  const out = { ...job };
  out.job_id ??= newId("ui");
  out.trace_id ??= newId("trace");
  return out;
}

function initialText(query) {
  if (!query.checkpoint_id) return "";
  const original = localRun(query.thread_id)?.job ?? { agent_definition: {}, input_payload: {} };
  const fork = { ...original, job_id: newId("fork"), trace_id: newId("trace"), thread_id: query.thread_id, checkpoint_id: query.checkpoint_id };
  return JSON.stringify(fork, null, 2);
}

function lineHeight(area) {
  const value = parseFloat(getComputedStyle(area).lineHeight);
  return Number.isFinite(value) ? value : 18;
}
