// The page's view library: Preact with hooks, and htm for markup in tagged templates (no build step).
import { h, render } from "../vendor/preact-11.2.0/preact.mjs";
import htm from "../vendor/htm-3.1.1/htm.mjs";

export { h, render };
export { useState, useEffect, useRef, useMemo, useCallback, useReducer } from "../vendor/preact-11.2.0/hooks.mjs";
export const html = htm.bind(h);
