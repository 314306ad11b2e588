// Follows a thread's event stream: Server-Sent Events read with fetch (so the token travels as
// a header and a reconnect resumes with Last-Event-ID), or the WebSocket (token as
// ?access_token=, a reconnect skips the events already seen). When the stream closes, `next()`
// decides whether a later run of the thread is worth waiting for.

import { authHeaders, token } from "./api.js";

/**
 * Starts following; returns {close()}. Handlers: onEvent(event), onStatus(text) with "live",
 * "reconnecting" or "closed", onMissing() when the service has no stream for the thread, and
 * async next() answering true to follow a later run after the stream closed.
 */
export function follow(threadId, handlers, { transport = "sse" } = {}) {
  const state = { closed: false, lastId: null, seen: 0, controller: null, socket: null };
  const run = transport === "ws" ? webSocketOnce : sseOnce;

  const loop = async () => {
    let failures = 0;
    while (!state.closed) {
      let outcome;
      try {
        outcome = await run(threadId, state, handlers);
        failures = 0;
      } catch (e) {
        if (state.closed) return;
        outcome = "error";
        failures++;
      }
      if (state.closed) return;
      if (outcome === "missing") return handlers.onMissing?.();
      if (outcome === "denied") return handlers.onStatus?.("denied");
      if (outcome === "done" && state.seen === 0) return handlers.onMissing?.(); // ended, and its log is gone
      if (outcome === "done") break;
      handlers.onStatus?.("reconnecting");
      const more = outcome === "error" ? failures < 8 : await handlers.next?.();
      if (!more) break;
      await sleep(outcome === "error" ? Math.min(250 * 2 ** failures, 5000) : 300);
    }
    if (!state.closed) handlers.onStatus?.("closed");
  };
  loop();
  return {
    close() {
      state.closed = true;
      state.controller?.abort();
      state.socket?.close();
    },
  };
}

async function sseOnce(threadId, state, handlers) {
  state.controller = new AbortController();
  const headers = authHeaders({ Accept: "text/event-stream" });
  if (state.lastId) headers["Last-Event-ID"] = state.lastId;
  const response = await fetch(`/stream/${encodeURIComponent(threadId)}/events`, { headers, signal: state.controller.signal });
  if (response.status === 204) return "done";
  if (response.status === 404) return "missing";
  if (response.status === 401 || response.status === 403) return "denied";
  if (!response.ok || !response.body) throw new Error(`stream answered ${response.status}`);
  handlers.onStatus?.("live");
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return "closed";
    buffer += value;
    let cut;
    while ((cut = buffer.search(/\r?\n\r?\n/)) >= 0) {
      const frame = buffer.slice(0, cut);
      buffer = buffer.slice(cut).replace(/^\r?\n\r?\n/, "");
      dispatchFrame(frame, state, handlers);
    }
  }
}

/** One SSE frame: "id:", "event:" and "data:" lines; comments (heartbeats) are skipped. */
function dispatchFrame(frame, state, handlers) {
  const data = [];
  for (const line of frame.split(/\r?\n/)) {
    if (line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (field === "id") state.lastId = value;
    else if (field === "data") data.push(value);
  }
  if (!data.length) return;
  deliver(data.join("\n"), state, handlers);
}

function deliver(text, state, handlers) {
  let event;
  try {
    event = JSON.parse(text);
  } catch {
    return; // not an event of ours
  }
  state.seen++;
  handlers.onEvent(event);
}

function webSocketOnce(threadId, state, handlers) {
  return new Promise((resolve, reject) => {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    const query = token() ? `?access_token=${encodeURIComponent(token())}` : "";
    const socket = new WebSocket(`${scheme}//${location.host}/stream/${encodeURIComponent(threadId)}${query}`);
    state.socket = socket;
    let skip = state.seen; // the WebSocket replays a thread from its first event
    let opened = false;
    socket.onopen = () => {
      opened = true;
      handlers.onStatus?.("live");
    };
    socket.onmessage = (message) => {
      if (skip > 0) {
        skip--;
        return;
      }
      deliver(String(message.data), state, handlers);
    };
    socket.onerror = () => { if (!opened) reject(new Error("the WebSocket did not open")); };
    socket.onclose = () => resolve(opened ? "closed" : "error");
  });
}

function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}
