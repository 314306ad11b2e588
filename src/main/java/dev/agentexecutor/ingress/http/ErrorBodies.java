package dev.agentexecutor.ingress.http;

import dev.agentexecutor.util.Json;
import java.util.Map;

/**
 * The JSON problem body every error answer carries, {@code {"error": code, "message": text}}, and
 * the stable code of each HTTP status that has no more precise one.
 */
final class ErrorBodies {
  private static final int MAX_MESSAGE = 300;
  private static final Map<Integer, String> CODES =
      Map.ofEntries(
          Map.entry(400, "bad_request"),
          Map.entry(401, "unauthorized"),
          Map.entry(403, "forbidden"),
          Map.entry(404, "not_found"),
          Map.entry(405, "method_not_allowed"),
          Map.entry(408, "request_timeout"),
          Map.entry(413, "body_too_large"),
          Map.entry(414, "uri_too_long"),
          Map.entry(415, "unsupported_media_type"),
          Map.entry(429, "too_many_requests"),
          Map.entry(431, "headers_too_large"),
          Map.entry(500, "internal_error"),
          Map.entry(501, "not_implemented"),
          Map.entry(503, "service_unavailable"),
          Map.entry(505, "http_version_not_supported"));

  private ErrorBodies() {}

  static String code(int status) {
    return CODES.getOrDefault(status, "http_" + status);
  }

  static byte[] json(String code, String message) {
    String text = message == null || message.isBlank() ? code.replace('_', ' ') : message;
    if (text.length() > MAX_MESSAGE) text = text.substring(0, MAX_MESSAGE) + "...";
    return Json.writeBytes(Json.object().put("error", code).put("message", text));
  }
}
