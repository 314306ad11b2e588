package dev.agentexecutor.job;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentexecutor.core.Tenants;
import dev.agentexecutor.core.problem.Problem;
import dev.agentexecutor.core.problem.ProblemCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The attributes of a job's CloudEvent in either mode, ce-* headers (binary) or members of the
 * event (structured), checked in one place: required attributes, specversion, type and tenant.
 */
@FunctionalInterface
interface CloudEventAttributes {
  List<String> REQUIRED = List.of("specversion", "id", "source", "type");

  /** The attribute by name: a header value or a JSON member; null when absent. */
  Object get(String name);

  /** The ce-* headers of a binary-mode event (looked up in lower case). */
  static CloudEventAttributes ofHeaders(Map<String, String> headers) {
    return name -> headers.get("ce-" + name);
  }

  /** The members of a structured-mode event. */
  static CloudEventAttributes ofEvent(JsonNode event) {
    return event::get;
  }

  /** The attribute as text when it is a non-blank string, else null. */
  default String text(String name) {
    Object value = get(name);
    String text =
        value instanceof JsonNode node ? (node.isTextual() ? node.asText() : null) : (String) value;
    return text == null || text.isBlank() ? null : text;
  }

  /** Every required attribute that is missing, blank or not a string, each a problem. */
  default void checkRequired(String jobId) {
    List<Problem> missing = new ArrayList<>();
    for (String attribute : REQUIRED) {
      if (text(attribute) == null) {
        missing.add(
            new Problem(
                ProblemCode.EVT_ATTRIBUTE,
                "$." + attribute,
                "required CloudEvent attribute is missing, blank or not a string"));
      }
    }
    if (!missing.isEmpty()) throw new InvalidJobException(missing, jobId);
  }

  static void checkSpecversion(String version, String jobId) {
    if (!"1.0".equals(version)) {
      throw InvalidJobException.of(
          ProblemCode.EVT_SPECVERSION,
          "$.specversion",
          "unsupported specversion '" + printable(version) + "' (expected 1.0)",
          jobId);
    }
  }

  /**
   * Checks the event type (one of {@link JobParser#EVENT_TYPES}) and returns the {@code tenant}
   * extension attribute (absent: the default tenant). Only the NATS worker trusts the tenant; HTTP
   * replaces it with its caller's.
   */
  default String checkTypeAndTenant(String jobId) {
    String type = text("type");
    if (!JobParser.EVENT_TYPES.contains(type)) {
      throw InvalidJobException.of(
          ProblemCode.EVT_TYPE,
          "$.type",
          "event type must be '"
              + String.join("' or '", JobParser.EVENT_TYPES)
              + "', not '"
              + printable(rawText("type"))
              + "'",
          jobId);
    }
    Object tenant = get(Tenants.ATTRIBUTE);
    if (tenant == null || (tenant instanceof JsonNode node && node.isNull()))
      return Tenants.DEFAULT;
    String name = text(Tenants.ATTRIBUTE);
    if (name != null && Tenants.isValid(name)) return name;
    throw InvalidJobException.of(
        ProblemCode.EVT_ATTRIBUTE,
        "$." + Tenants.ATTRIBUTE,
        "the tenant attribute must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit",
        jobId);
  }

  /** The attribute's text even when blank, for quoting it in a message. */
  private String rawText(String name) {
    Object value = get(name);
    return value instanceof JsonNode node ? node.asText() : (String) value;
  }

  /** Caller-supplied text quoted in a message: control characters shown escaped, length capped. */
  static String printable(String text) {
    if (text == null) return "null";
    StringBuilder out = new StringBuilder(Math.min(text.length(), 120));
    for (int i = 0; i < text.length() && out.length() < 120; i++) {
      char c = text.charAt(i);
      if (Character.isISOControl(c)) out.append(String.format("\\u%04x", (int) c));
      else out.append(c);
    }
    return out.length() < text.length() ? out + "..." : out.toString();
  }
}
