// Hash routes: #/runs, #/runs/{id}, #/new (with ?query for prefilled forks).
import { useEffect, useState } from "./lib.js";

export function parseRoute(hash) {
  const [pathPart, queryPart = ""] = hash.replace(/^#/, "").split("?");
  const parts = pathPart.split("/").filter(Boolean).map(decodeURIComponent);
  const query = Object.fromEntries(new URLSearchParams(queryPart));
  if (parts[0] === "runs" && parts[1]) return { page: "run", id: parts[1], query };
  if (parts[0] === "new") return { page: "new", query };
  return { page: "runs", query };
}

export function useRoute() {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const update = () => setRoute(parseRoute(location.hash));
    addEventListener("hashchange", update);
    return () => removeEventListener("hashchange", update);
  }, []);
  return route;
}

export function go(hash) {
  location.hash = hash;
}

export const runHref = (id) => `#/runs/${encodeURIComponent(id)}`;
