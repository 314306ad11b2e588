package dev.agentexecutor.ingress.http;

import java.util.Map;

/** An error answer decided by a handler: status, stable code, message and extra headers. */
final class ApiProblem extends RuntimeException {
  private final int status;
  private final String code;
  private final Map<String, String> headers;

  ApiProblem(int status, String code, String message, Map<String, String> headers) {
    super(message, null, false, false); // an answer, not a failure: no stack trace to fill
    this.status = status;
    this.code = code;
    this.headers = Map.copyOf(headers);
  }

  ApiProblem(int status, String code, String message) {
    this(status, code, message, Map.of());
  }

  int status() {
    return status;
  }

  String code() {
    return code;
  }

  Map<String, String> headers() {
    return headers;
  }
}
