// Calls to the service's API from the page: the API token the user typed (kept in this tab's
// sessionStorage) goes with every request as Authorization: Bearer.

const TOKEN_KEY = "agent-executor.token";
const listeners = new Set();

export function token() {
  return sessionStorage.getItem(TOKEN_KEY) ?? "";
}

export function setToken(value) {
  if (value) sessionStorage.setItem(TOKEN_KEY, value);
  else sessionStorage.removeItem(TOKEN_KEY);
}

/** Called with every 401, so the page can ask for a token. */
export function onUnauthorized(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function authHeaders(extra = {}) {
  const t = token();
  return t ? { ...extra, Authorization: `Bearer ${t}` } : extra;
}

/**
 * One API call; never throws. Answers {ok, status, body}: body is the parsed JSON (or null), and
 * status 0 means the service could not be reached.
 */
export async function call(method, path, body, { signal } = {}) {
  const init = { method, headers: authHeaders({ Accept: "application/json" }), signal };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = typeof body === "string" ? body : JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    if (e.name === "AbortError") throw e;
    return { ok: false, status: 0, body: { error: "unreachable", message: "the service did not answer" } };
  }
  if (response.status === 401) listeners.forEach((l) => l());
  const text = await response.text();
  let parsed = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = { error: "not_json", message: text.slice(0, 300) };
  }
  return { ok: response.ok, status: response.status, body: parsed };
}

const path = (id) => encodeURIComponent(id);

export const api = {
  state: (id, opts) => call("GET", `/state/${path(id)}`, undefined, opts),
  invoke: (job) => call("POST", "/invoke", job),
  cancel: (jobId) => call("POST", `/cancel/${path(jobId)}`),
  resume: (jobId, decisions) => call("POST", `/jobs/${path(jobId)}/resume`, { decisions }),
  jobs: (query, opts) => call("GET", `/jobs?${new URLSearchParams(query)}`, undefined, opts),
  history: (threadId, query = {}) => call("GET", `/threads/${path(threadId)}/history?${new URLSearchParams(query)}`),
  checkpoint: (threadId, checkpointId, namespace = "") =>
    call("GET", `/threads/${path(threadId)}/checkpoints/${path(checkpointId)}?${new URLSearchParams({ namespace })}`),
  validate: (document) => call("POST", "/definitions/validate", document),
  examples: () => call("GET", "/examples"),
};

/** An error body's problems, or one problem made of its message. */
export function problemsOf(result) {
  const body = result.body ?? {};
  if (Array.isArray(body.problems) && body.problems.length) return body.problems;
  return [{ code: body.error ?? `HTTP_${result.status}`, path: "$", message: body.message ?? `the service answered ${result.status}` }];
}

/**
 * The service has no such route (an older version): 404/405/501, or the 500 "Endpoint GET /x not
 * found" with which versions before the JSON "no route" answer reported an unknown route.
 */
export function routeMissing(result) {
  if ([404, 405, 501].includes(result.status)) return true;
  return result.status === 500 && /^Endpoint \S+ \S+ not found/.test(result.body?.message ?? result.body?.title ?? "");
}

export const FINAL_STATUSES = new Set(["completed", "failed", "cancelled"]);
