// The runs started from this browser tab (sessionStorage): the runs list falls back to them when
// the service has no GET /jobs, and "fork from here" reuses their job.

const KEY = "agent-executor.runs";
const MAX_RUNS = 50;
const MAX_JOB_CHARS = 200_000;

export function localRuns() {
  try {
    const runs = JSON.parse(sessionStorage.getItem(KEY) ?? "[]");
    return Array.isArray(runs) ? runs : [];
  } catch {
    return [];
  }
}

export function rememberRun(job, answer) {
  const text = JSON.stringify(job);
  const entry = {
    job_id: job.job_id,
    thread_id: answer?.thread_id ?? job.thread_id ?? job.job_id,
    created_at: new Date().toISOString(),
    definition_name: job.agent_definition?.name ?? null,
    job: text.length <= MAX_JOB_CHARS ? job : null,
  };
  const runs = [entry, ...localRuns().filter((r) => r.job_id !== job.job_id)].slice(0, MAX_RUNS);
  try {
    sessionStorage.setItem(KEY, JSON.stringify(runs));
  } catch {
    sessionStorage.setItem(KEY, JSON.stringify(runs.map((r) => ({ ...r, job: null }))));
  }
}

export function localRun(id) {
  return localRuns().find((r) => r.job_id === id || r.thread_id === id) ?? null;
}
