package dev.agentexecutor.agent.tools.mcp;

import dev.agentexecutor.util.Json;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a tools/call result into the text a model reads: text parts as they are, structured content
 * as JSON (when the server sent no text for it), and images, audio and resources described in a
 * line (what they are, their type and size), since the conversation carries text only.
 */
final class McpResults {
  private McpResults() {}

  static String text(McpSchema.CallToolResult result) {
    List<String> parts = new ArrayList<>();
    boolean hasText = false;
    if (result.content() != null) {
      for (McpSchema.Content content : result.content()) {
        if (content instanceof McpSchema.TextContent) hasText = true;
        parts.add(describe(content));
      }
    }
    if (result.structuredContent() != null && !hasText)
      parts.add(0, Json.write(Json.MAPPER.valueToTree(result.structuredContent())));
    return String.join("\n", parts);
  }

  static String describe(McpSchema.Content content) {
    return switch (content) {
      case McpSchema.TextContent text -> text.text();
      case McpSchema.ImageContent image ->
          "[image: " + image.mimeType() + ", " + decodedBytes(image.data()) + " bytes, not shown]";
      case McpSchema.AudioContent audio ->
          "[audio: " + audio.mimeType() + ", " + decodedBytes(audio.data()) + " bytes, not shown]";
      case McpSchema.EmbeddedResource embedded -> resource(embedded.resource());
      case McpSchema.ResourceLink link ->
          "[resource link: "
              + link.uri()
              + (link.name() == null ? "" : " \"" + link.name() + "\"")
              + (link.mimeType() == null ? "" : " (" + link.mimeType() + ")")
              + (link.description() == null ? "" : ": " + link.description())
              + "]";
      default -> "[" + content.type() + " content, not shown]";
    };
  }

  private static String resource(McpSchema.ResourceContents contents) {
    String type = contents.mimeType() == null ? "" : " (" + contents.mimeType() + ")";
    return switch (contents) {
      case McpSchema.TextResourceContents text ->
          "[resource " + text.uri() + type + "]\n" + text.text();
      case McpSchema.BlobResourceContents blob ->
          "[resource "
              + blob.uri()
              + type
              + ": "
              + decodedBytes(blob.blob())
              + " bytes of binary data, not shown]";
      default -> "[resource " + contents.uri() + type + "]";
    };
  }

  /** The size of base64 data once decoded, without decoding it. */
  private static long decodedBytes(String base64) {
    if (base64 == null) return 0;
    int padding = base64.endsWith("==") ? 2 : base64.endsWith("=") ? 1 : 0;
    return Math.max(0, base64.length() / 4L * 3 - padding);
  }
}
