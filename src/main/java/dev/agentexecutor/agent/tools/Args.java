package dev.agentexecutor.agent.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Reads tool arguments, failing with messages the model can act on. */
final class Args {
  private Args() {}

  static String requiredString(ObjectNode args, String name) {
    JsonNode value = args.get(name);
    if (value == null || value.isNull())
      throw new ToolException("missing required argument '" + name + "'");
    if (!value.isTextual()) throw new ToolException("argument '" + name + "' must be a string");
    return value.asText();
  }

  static String optionalString(ObjectNode args, String name, String fallback) {
    JsonNode value = args.get(name);
    if (value == null || value.isNull()) return fallback;
    if (!value.isTextual()) throw new ToolException("argument '" + name + "' must be a string");
    return value.asText();
  }

  static int optionalInt(ObjectNode args, String name, int fallback) {
    JsonNode value = args.get(name);
    if (value == null || value.isNull()) return fallback;
    if (value.isTextual() && value.asText().matches("-?\\d+"))
      return Integer.parseInt(value.asText());
    if (!value.canConvertToInt())
      throw new ToolException("argument '" + name + "' must be a whole number");
    return value.asInt();
  }

  static boolean optionalBoolean(ObjectNode args, String name, boolean fallback) {
    JsonNode value = args.get(name);
    if (value == null || value.isNull()) return fallback;
    if (value.isBoolean()) return value.asBoolean();
    if (value.isTextual() && (value.asText().equals("true") || value.asText().equals("false"))) {
      return Boolean.parseBoolean(value.asText());
    }
    throw new ToolException("argument '" + name + "' must be true or false");
  }
}
