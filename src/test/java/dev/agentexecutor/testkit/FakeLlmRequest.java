package dev.agentexecutor.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A request {@link FakeLlmServer} received, with helpers that read the parts tests assert on in
 * either wire format (OpenAI Chat Completions or Anthropic Messages).
 *
 * @param headers header names in lower case
 */
public record FakeLlmRequest(String path, Map<String, List<String>> headers, JsonNode body) {

  public boolean isAnthropic() {
    return path.endsWith("/messages");
  }

  public String header(String name) {
    List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  public boolean isStreaming() {
    return body.path("stream").asBoolean(false);
  }

  public String model() {
    return body.path("model").asText();
  }

  /** The system prompt: OpenAI's system message, or Anthropic's {@code system} (text or blocks). */
  public String systemPrompt() {
    if (isAnthropic()) return text(body.path("system"));
    for (JsonNode message : body.path("messages")) {
      if ("system".equals(message.path("role").asText())) return text(message.path("content"));
    }
    return "";
  }

  /** The names of the tools offered to the model. */
  public List<String> toolNames() {
    List<String> names = new ArrayList<>();
    for (JsonNode tool : body.path("tools")) {
      names.add(
          isAnthropic() ? tool.path("name").asText() : tool.path("function").path("name").asText());
    }
    return names;
  }

  public JsonNode messages() {
    return body.path("messages");
  }

  /** Plain text, or the concatenated text of content blocks. */
  private static String text(JsonNode content) {
    if (content.isTextual()) return content.asText();
    StringBuilder text = new StringBuilder();
    for (JsonNode block : content) text.append(block.path("text").asText());
    return text.toString();
  }
}
