package dev.agentexecutor.ingress.http;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * Jetty's own error answers (a malformed request line, a URI or headers too large, bad
 * percent-encoding, a WebSocket upgrade to no route) as the service's JSON problem body instead of
 * Jetty's HTML page.
 */
final class JsonErrorHandler extends ErrorHandler {
  private static final String JSON = "application/json";

  @Override
  public boolean errorPageForMethod(String method) {
    return true; // every method gets a body, not only GET, POST and HEAD
  }

  /** Requests Jetty could not parse: answered before any handler runs. */
  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    if (HttpStatus.hasNoBody(status)) return ByteBuffer.allocate(0);
    fields.put(HttpHeader.CONTENT_TYPE, JSON);
    return ByteBuffer.wrap(ErrorBodies.json(ErrorBodies.code(status), describe(status, reason)));
  }

  /** Errors raised inside the server (sendError) after the request was parsed. */
  @Override
  protected void generateAcceptableResponse(
      Request baseRequest,
      HttpServletRequest request,
      HttpServletResponse response,
      int code,
      String message)
      throws IOException {
    baseRequest.setHandled(true);
    if (response.isCommitted()) return;
    response.setContentType(JSON);
    byte[] body = ErrorBodies.json(ErrorBodies.code(code), describe(code, message));
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }

  private static String describe(int status, String reason) {
    String standard = HttpStatus.getMessage(status);
    if (reason == null || reason.isBlank() || reason.equals(standard)) return standard;
    return standard + ": " + reason;
  }
}
