// Reads the latest checkpoint of thread THREAD in schema SCHEMA with LangGraph's own PostgreSQL
// saver and prints what it got as one JSON line: {"ok": true, "channels": {...}, ...} or
// {"ok": false, "error": "..."}. Usage: DATABASE_URL=postgres://... node read-thread.mjs SCHEMA THREAD
import { PostgresSaver } from "@langchain/langgraph-checkpoint-postgres";

const [schema, thread] = process.argv.slice(2);
const saver = PostgresSaver.fromConnString(process.env.DATABASE_URL, { schema });
try {
  const tuple = await saver.getTuple({ configurable: { thread_id: thread, checkpoint_ns: "" } });
  const values = tuple?.checkpoint.channel_values ?? {};
  const describe = (value) =>
    Array.isArray(value)
      ? value.map((item) => (item?.constructor?.name ?? typeof item) + (item?._getType ? ":" + item._getType() : ""))
      : typeof value;
  console.log(JSON.stringify({
    ok: true,
    found: tuple !== undefined,
    checkpoint_id: tuple?.config.configurable.checkpoint_id,
    channels: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, describe(v)])),
  }));
} catch (error) {
  console.log(JSON.stringify({ ok: false, error: String(error?.message ?? error) }));
} finally {
  await saver.end();
}
