package dev.agentexecutor.testkit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.testkit.FakeLlmReply.ToolCall;
import dev.agentexecutor.util.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * How {@link FakeLlmServer} renders a reply in one provider's wire format: a whole JSON answer, the
 * server-sent events of a streamed one, and an error body.
 */
interface FakeLlmWire {
  /** One server-sent event: an optional event name and its JSON data (or {@code [DONE]}). */
  record Event(String name, String data) {
    String frame() {
      return (name == null ? "" : "event: " + name + "\n") + "data: " + data + "\n\n";
    }
  }

  ObjectNode answer(FakeLlmReply reply, String model);

  List<Event> stream(FakeLlmReply reply, String model, boolean includeUsage);

  /** A successful stream that reports {@code errorObjectJson} instead of an answer. */
  List<Event> streamError(String errorObjectJson, String model);

  String errorBody(int status);

  /** The OpenAI Chat Completions API ({@code POST /v1/chat/completions}). */
  FakeLlmWire OPENAI =
      new FakeLlmWire() {
        @Override
        public ObjectNode answer(FakeLlmReply reply, String model) {
          ObjectNode message = Json.object().put("role", "assistant").put("content", reply.text());
          if (!reply.toolCalls().isEmpty()) {
            ArrayNode calls = message.putArray("tool_calls");
            for (ToolCall call : reply.toolCalls()) {
              calls
                  .addObject()
                  .put("id", call.id())
                  .put("type", "function")
                  .putObject("function")
                  .put("name", call.name())
                  .put("arguments", call.argumentsJson());
            }
          }
          ObjectNode body = completion("chat.completion", model);
          body.putArray("choices")
              .addObject()
              .put("index", 0)
              .put("finish_reason", finishReason(reply))
              .set("message", message);
          body.set("usage", usage(reply));
          return body;
        }

        @Override
        public List<Event> stream(FakeLlmReply reply, String model, boolean includeUsage) {
          List<Event> events = new ArrayList<>();
          events.add(chunk(model, Json.object().put("role", "assistant").put("content", ""), null));
          for (String token : reply.textChunks())
            events.add(chunk(model, Json.object().put("content", token), null));
          for (int index = 0; index < reply.toolCalls().size(); index++) {
            ToolCall call = reply.toolCalls().get(index);
            ObjectNode start = Json.object();
            start
                .putArray("tool_calls")
                .addObject()
                .put("index", index)
                .put("id", call.id())
                .put("type", "function")
                .putObject("function")
                .put("name", call.name())
                .put("arguments", "");
            events.add(chunk(model, start, null));
            for (String part : FakeLlmReply.argumentChunks(call.argumentsJson())) {
              ObjectNode delta = Json.object();
              delta
                  .putArray("tool_calls")
                  .addObject()
                  .put("index", index)
                  .putObject("function")
                  .put("arguments", part);
              events.add(chunk(model, delta, null));
            }
          }
          events.add(chunk(model, Json.object(), finishReason(reply)));
          if (includeUsage) {
            ObjectNode last = completion("chat.completion.chunk", model);
            last.putArray("choices");
            last.set("usage", usage(reply));
            events.add(new Event(null, Json.write(last)));
          }
          events.add(new Event(null, "[DONE]"));
          return events;
        }

        @Override
        public List<Event> streamError(String errorObjectJson, String model) {
          return List.of(new Event(null, "{\"error\":" + errorObjectJson + "}"));
        }

        @Override
        public String errorBody(int status) {
          ObjectNode body = Json.object();
          body.putObject("error").put("message", "fake error " + status).put("type", "fake_error");
          return Json.write(body);
        }

        private Event chunk(String model, ObjectNode delta, String finishReason) {
          ObjectNode chunk = completion("chat.completion.chunk", model);
          ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
          choice.set("delta", delta);
          choice.put("finish_reason", finishReason);
          return new Event(null, Json.write(chunk));
        }

        private ObjectNode completion(String object, String model) {
          return Json.object()
              .put("id", "chatcmpl-fake")
              .put("object", object)
              .put("created", 0)
              .put("model", model);
        }

        private ObjectNode usage(FakeLlmReply reply) {
          ObjectNode usage =
              Json.object()
                  .put("prompt_tokens", reply.inputTokens())
                  .put("completion_tokens", reply.outputTokens())
                  .put("total_tokens", reply.inputTokens() + reply.outputTokens());
          if (reply.cacheReadTokens() > 0)
            usage.putObject("prompt_tokens_details").put("cached_tokens", reply.cacheReadTokens());
          return usage;
        }

        private String finishReason(FakeLlmReply reply) {
          return reply.toolCalls().isEmpty() ? "stop" : "tool_calls";
        }
      };

  /** The Anthropic Messages API ({@code POST /v1/messages}). */
  FakeLlmWire ANTHROPIC =
      new FakeLlmWire() {
        @Override
        public ObjectNode answer(FakeLlmReply reply, String model) {
          ObjectNode body = message(model).put("stop_reason", stopReason(reply));
          ArrayNode content = body.putArray("content");
          if (!reply.text().isEmpty())
            content.addObject().put("type", "text").put("text", reply.text());
          for (ToolCall call : reply.toolCalls()) {
            content
                .addObject()
                .put("type", "tool_use")
                .put("id", call.id())
                .put("name", call.name())
                .set("input", Json.parse(call.argumentsJson()));
          }
          body.putObject("usage")
              .put("input_tokens", reply.inputTokens())
              .put("output_tokens", reply.outputTokens());
          return body;
        }

        @Override
        public List<Event> stream(FakeLlmReply reply, String model, boolean includeUsage) {
          List<Event> events = new ArrayList<>();
          ObjectNode start = message(model);
          start.putArray("content");
          start.putNull("stop_reason");
          start
              .putObject("usage")
              .put("input_tokens", reply.inputTokens())
              .put("output_tokens", 1)
              .put("cache_read_input_tokens", reply.cacheReadTokens())
              .put("cache_creation_input_tokens", reply.cacheWriteTokens());
          events.add(event("message_start", Json.object().set("message", start)));
          int index = 0;
          if (!reply.text().isEmpty()) {
            events.add(blockStart(index, Json.object().put("type", "text").put("text", "")));
            for (String token : reply.textChunks()) {
              events.add(
                  blockDelta(index, Json.object().put("type", "text_delta").put("text", token)));
            }
            events.add(event("content_block_stop", Json.object().put("index", index++)));
          }
          for (ToolCall call : reply.toolCalls()) {
            ObjectNode block =
                Json.object().put("type", "tool_use").put("id", call.id()).put("name", call.name());
            block.putObject("input");
            events.add(blockStart(index, block));
            for (String part : FakeLlmReply.argumentChunks(call.argumentsJson())) {
              events.add(
                  blockDelta(
                      index,
                      Json.object().put("type", "input_json_delta").put("partial_json", part)));
            }
            events.add(event("content_block_stop", Json.object().put("index", index++)));
          }
          ObjectNode delta = Json.object();
          delta.putObject("delta").put("stop_reason", stopReason(reply)).putNull("stop_sequence");
          delta.putObject("usage").put("output_tokens", reply.outputTokens());
          events.add(event("message_delta", delta));
          events.add(event("message_stop", Json.object()));
          return events;
        }

        @Override
        public List<Event> streamError(String errorObjectJson, String model) {
          ObjectNode start = message(model);
          start.putArray("content");
          start.putObject("usage").put("input_tokens", 1).put("output_tokens", 1);
          return List.of(
              event("message_start", Json.object().set("message", start)),
              new Event("error", "{\"type\":\"error\",\"error\":" + errorObjectJson + "}"));
        }

        @Override
        public String errorBody(int status) {
          ObjectNode body = Json.object().put("type", "error");
          body.putObject("error").put("type", "fake_error").put("message", "fake error " + status);
          return Json.write(body);
        }

        private ObjectNode message(String model) {
          return Json.object()
              .put("id", "msg_fake")
              .put("type", "message")
              .put("role", "assistant")
              .put("model", model);
        }

        private Event blockStart(int index, ObjectNode block) {
          ObjectNode data = Json.object().put("index", index);
          data.set("content_block", block);
          return event("content_block_start", data);
        }

        private Event blockDelta(int index, ObjectNode delta) {
          ObjectNode data = Json.object().put("index", index);
          data.set("delta", delta);
          return event("content_block_delta", data);
        }

        private Event event(String type, ObjectNode data) {
          ObjectNode typed = Json.object().put("type", type);
          typed.setAll(data);
          return new Event(type, Json.write(typed));
        }

        private String stopReason(FakeLlmReply reply) {
          return reply.toolCalls().isEmpty() ? "end_turn" : "tool_use";
        }
      };
}
