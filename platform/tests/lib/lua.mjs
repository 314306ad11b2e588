// Runs an Argo CD health-check Lua script (resource.customizations.health.*) against an object,
// with fengari (Lua 5.3 in JavaScript), the way Argo CD's gopher-lua runs it: `obj` is the
// object, the script returns a table with status and message.
import fengari from "fengari";

const { lua, lauxlib, lualib, to_luastring } = fengari;

const luaString = (s) => `"${String(s).replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;

/** A JSON-like value as a Lua expression (objects and arrays become tables). */
export function toLua(value) {
  if (value === null || value === undefined) return "nil";
  if (typeof value === "string") return luaString(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `{${value.map(toLua).join(", ")}}`;
  return `{${Object.entries(value).map(([k, v]) => `[${luaString(k)}] = ${toLua(v)}`).join(", ")}}`;
}

/** The {status, message} the health script gives for obj; throws on a Lua error. */
export function runHealthScript(script, obj) {
  const L = lauxlib.luaL_newstate();
  lualib.luaL_openlibs(L);
  const chunk = `local obj = ${toLua(obj)}\nlocal function check()\n${script}\nend\nlocal hs = check()\nreturn hs.status, hs.message`;
  if (lauxlib.luaL_dostring(L, to_luastring(chunk)) !== lua.LUA_OK) {
    throw new Error(`health script: ${lua.lua_tojsstring(L, -1)}`);
  }
  return { status: lua.lua_tojsstring(L, -2), message: lua.lua_tojsstring(L, -1) };
}
