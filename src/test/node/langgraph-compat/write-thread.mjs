// Runs a one-node LangGraph graph with LangGraph's own PostgreSQL saver, so that thread THREAD in
// schema SCHEMA holds checkpoints exactly as LangGraph writes them (LangChain message objects,
// checkpoint_writes, uuid6 ids). Usage: DATABASE_URL=postgres://... node write-thread.mjs SCHEMA THREAD
import { AIMessage, HumanMessage } from "@langchain/core/messages";
import { MessagesAnnotation, StateGraph } from "@langchain/langgraph";
import { PostgresSaver } from "@langchain/langgraph-checkpoint-postgres";

const [schema, thread] = process.argv.slice(2);
const saver = PostgresSaver.fromConnString(process.env.DATABASE_URL, { schema });
try {
  await saver.setup();
  const graph = new StateGraph(MessagesAnnotation)
    .addNode("agent", () => ({ messages: [new AIMessage("Hello from LangGraph.")] }))
    .addEdge("__start__", "agent")
    .addEdge("agent", "__end__")
    .compile({ checkpointer: saver });
  await graph.invoke({ messages: [new HumanMessage("Hi")] }, { configurable: { thread_id: thread } });
  console.log(JSON.stringify({ ok: true }));
} finally {
  await saver.end();
}
