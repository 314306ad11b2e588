// A parked run's pending interrupts: for each, approve, edit the arguments (a JSON editor seeded
// with them, checked against the tool's schema) or reject with a reason; sent together, in
// order, to POST /jobs/{job_id}/resume.
import { html, useState } from "../lib.js";
import { api, problemsOf, routeMissing } from "../api.js";
import { check } from "../model/schema.js";
import { formatJson } from "../format.js";
import { Notice, Payload, Problems } from "./common.js";

export function Interrupts({ jobId, interrupts, onResumed }) {
  const [decisions, setDecisions] = useState(() => interrupts.map((i) => ({
    type: (i.allowed_decisions ?? ["approve"])[0], args: formatJson(i.args ?? {}), message: "",
  })));
  const [result, setResult] = useState(null);
  const [busy, setBusy] = useState(false);
  const update = (n, change) => setDecisions((all) => all.map((d, k) => (k === n ? { ...d, ...change } : d)));
  const problems = decisions.map((d, n) => (d.type === "edit" ? editProblems(d.args, interrupts[n].args_schema) : []));
  const blocked = problems.some((p) => p.length);

  const submit = async (event) => {
    event.preventDefault();
    if (blocked) return;
    setBusy(true);
    const body = decisions.map((d) => d.type === "edit" ? { type: "edit", args: JSON.parse(d.args) }
      : d.type === "reject" ? { type: "reject", message: d.message } : { type: "approve" });
    const answer = await api.resume(jobId, body);
    setBusy(false);
    if (answer.ok) return onResumed();
    // a 404 about this job (unknown, not parked) is an answer; one that does not name it means no such route
    const unsupported = routeMissing(answer) && !(answer.body?.message ?? "").includes(jobId);
    setResult(unsupported ? { unsupported: true } : { problems: problemsOf(answer), status: answer.status });
  };

  return html`<section class="panel interrupts" aria-labelledby="interrupts-title">
    <h2 id="interrupts-title">Waiting for your decision</h2>
    <form onSubmit=${submit}>
      ${interrupts.map((interrupt, n) => html`<fieldset key=${interrupt.id ?? n} class="interrupt" data-tool=${interrupt.tool}>
        <legend><span class="tool-name">${interrupt.tool}</span>${interrupt.node ? html` <span class="muted">by ${interrupt.node}</span>` : null}</legend>
        ${interrupt.description ? html`<p>${interrupt.description}</p>` : null}
        <${Payload} label="args" value=${interrupt.args} />
        <div class="decision" role="radiogroup" aria-label=${`Decision for ${interrupt.tool}`}>
          ${(interrupt.allowed_decisions ?? ["approve"]).map((type) => html`<label key=${type} class="check">
            <input type="radio" name=${`decision-${n}`} value=${type} checked=${decisions[n].type === type} onChange=${() => update(n, { type })} /> ${type}
          </label>`)}
        </div>
        ${decisions[n].type === "edit" ? html`<div class="field">
          <label for=${`edit-${n}`}>Arguments (JSON)</label>
          <textarea id=${`edit-${n}`} class="editor small-editor" spellcheck="false" rows="8" value=${decisions[n].args}
            onInput=${(e) => update(n, { args: e.currentTarget.value })} aria-invalid=${problems[n].length ? "true" : "false"}></textarea>
          <${Problems} problems=${problems[n]} />
        </div>` : null}
        ${decisions[n].type === "reject" ? html`<div class="field">
          <label for=${`reason-${n}`}>Reason (the model sees it)</label>
          <input id=${`reason-${n}`} type="text" value=${decisions[n].message} onInput=${(e) => update(n, { message: e.currentTarget.value })} />
        </div>` : null}
      </fieldset>`)}
      <div class="actions"><button type="submit" class="primary" disabled=${busy || blocked}>Send ${interrupts.length === 1 ? "decision" : "decisions"}</button></div>
    </form>
    ${result?.unsupported ? html`<${Notice} kind="error">This service cannot resume runs (no POST /jobs/{id}/resume).<//>` : null}
    ${result?.problems ? html`<${Notice} kind="error">The service refused the decisions (HTTP ${result.status}):<//><${Problems} problems=${result.problems} />` : null}
  </section>`;
}

function editProblems(text, schema) {
  let args;
  try {
    args = JSON.parse(text);
  } catch (e) {
    return [{ path: "$", message: `not valid JSON: ${e.message}` }];
  }
  if (args === null || typeof args !== "object" || Array.isArray(args)) return [{ path: "$", message: "must be a JSON object" }];
  return schema ? check(schema, args) : [];
}
