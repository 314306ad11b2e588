// The run viewer's entry: header with navigation and the API token, and the page of the route.
import { html, render, useEffect, useRef, useState } from "./lib.js";
import { onUnauthorized, setToken, token } from "./api.js";
import { useRoute } from "./router.js";
import { RunsPage } from "./views/runs.js";
import { NewRunPage } from "./views/newrun.js";
import { RunPage } from "./views/run.js";

function App() {
  const route = useRoute();
  const [needsToken, setNeedsToken] = useState(false);
  const [epoch, setEpoch] = useState(0); // bumped when the token changes: pages load again with it
  useEffect(() => onUnauthorized(() => setNeedsToken(true)), []);
  useEffect(() => {
    document.title = { runs: "Runs", new: "New run", run: `Run ${route.id ?? ""}` }[route.page] + " · agent-executor";
  }, [route]);

  return html`
    <a class="skip-link" href="#main" onClick=${skipToMain}>Skip to content</a>
    <header class="top">
      <span class="brand">agent-executor</span>
      <nav aria-label="Main">
        <a href="#/runs" aria-current=${route.page === "runs" ? "page" : undefined}>Runs</a>
        <a href="#/new" aria-current=${route.page === "new" ? "page" : undefined}>New run</a>
      </nav>
      <${TokenControl} open=${needsToken} onDone=${() => setNeedsToken(false)} onSaved=${() => setEpoch((e) => e + 1)} />
    </header>
    ${needsToken ? html`<p class="notice notice-error banner" role="alert">This service needs an API token: enter it above.</p>` : null}
    <main id="main" tabindex="-1">
      ${route.page === "runs" ? html`<${RunsPage} key=${"runs" + epoch + (route.query.thread_id ?? "")} query=${route.query} />` : null}
      ${route.page === "new" ? html`<${NewRunPage} key=${"new" + epoch + JSON.stringify(route.query)} query=${route.query} />` : null}
      ${route.page === "run" ? html`<${RunPage} key=${route.id + epoch} id=${route.id} query=${route.query} />` : null}
    </main>`;
}

function skipToMain(event) {
  event.preventDefault();
  document.getElementById("main")?.focus();
}

/** The API token, kept in this tab only (sessionStorage) and sent as Authorization: Bearer. */
function TokenControl({ open, onDone, onSaved }) {
  const [editing, setEditing] = useState(false);
  const [hasToken, setHasToken] = useState(Boolean(token()));
  const input = useRef(null);
  const show = editing || open;
  useEffect(() => { if (show) input.current?.focus(); }, [show]);

  const save = (event) => {
    event.preventDefault();
    setToken(input.current.value.trim());
    setHasToken(Boolean(token()));
    setEditing(false);
    onDone();
    onSaved();
  };
  if (!show) {
    return html`<button type="button" class="token-button" onClick=${() => setEditing(true)}>
      ${hasToken ? "API token: set" : "API token"}</button>`;
  }
  return html`<form class="token-form" onSubmit=${save}>
    <label for="api-token">API token</label>
    <input id="api-token" ref=${input} type="password" autocomplete="off" value=${token()} />
    <button type="submit">Save</button>
    <button type="button" onClick=${() => { setEditing(false); onDone(); }}>Close</button>
  </form>`;
}

const root = document.getElementById("app");
root.textContent = ""; // the "Loading…" placeholder
render(html`<${App} />`, root);
