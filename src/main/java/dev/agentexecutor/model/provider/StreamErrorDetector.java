package dev.agentexecutor.model.provider;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentexecutor.util.Json;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEvent;
import dev.langchain4j.http.client.sse.ServerSentEventContext;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Sits between the SSE parser and LangChain4j's listener and turns an error reported inside a
 * successful stream into a {@link ModelAnswerException}: Anthropic's {@code event: error} and the
 * OpenAI-style {@code data: {"error": {...}}} that proxies and compatible servers send (and that
 * LangChain4j's OpenAI client would silently skip). Parsing stops at the first error.
 */
final class StreamErrorDetector implements ServerSentEventListener {
  /** Error types and codes that name a passing condition: rate limits, overload, server faults. */
  private static final Pattern TRANSIENT =
      Pattern.compile(
          "rate.?limit|overload|server.?error|api.?error|internal|unavailable|time.?out|capacity|busy|too.?many",
          Pattern.CASE_INSENSITIVE);

  private static final int MAX_DETAIL_CHARS = 300;

  private final ServerSentEventListener delegate;
  private volatile boolean failed;

  StreamErrorDetector(ServerSentEventListener delegate) {
    this.delegate = delegate;
  }

  /** True once an error event was reported; the stream must then not be closed as a success. */
  boolean failed() {
    return failed;
  }

  @Override
  public void onOpen(SuccessfulHttpResponse response) {
    delegate.onOpen(response);
  }

  @Override
  public void onEvent(ServerSentEvent event, ServerSentEventContext context) {
    if (failed) return;
    Optional<ModelAnswerException> error = errorIn(event.event(), event.data());
    if (error.isEmpty()) {
      delegate.onEvent(event, context);
      return;
    }
    failed = true;
    context.parsingHandle().cancel();
    delegate.onError(error.get());
  }

  @Override
  public void onEvent(ServerSentEvent event) {
    throw new UnsupportedOperationException("the parser passes a context");
  }

  @Override
  public void onError(Throwable throwable) {
    if (!failed) delegate.onError(throwable);
  }

  @Override
  public void onClose() {
    if (!failed) delegate.onClose();
  }

  /** The error an event reports, if it reports one. */
  static Optional<ModelAnswerException> errorIn(String eventName, String data) {
    boolean named = "error".equals(eventName);
    if (!named && (data == null || !data.contains("\"error\"")))
      return Optional.empty(); // the common case, unparsed
    JsonNode body;
    try {
      body = Json.parse(data);
    } catch (RuntimeException notJson) {
      return named
          ? Optional.of(ModelAnswerException.streamError(shorten(data), false, 0))
          : Optional.empty();
    }
    JsonNode error = body.get("error");
    if (error == null || error.isNull()) {
      return named ? Optional.of(describe(body)) : Optional.empty();
    }
    return Optional.of(describe(error));
  }

  private static ModelAnswerException describe(JsonNode error) {
    if (!error.isObject())
      return ModelAnswerException.streamError(shorten(error.asText()), false, 0);
    String type = error.path("type").asText("");
    JsonNode codeNode = error.has("code") ? error.get("code") : error.path("status");
    String code = codeNode.isMissingNode() || codeNode.isNull() ? "" : codeNode.asText();
    int status =
        codeNode.canConvertToInt() && codeNode.asInt() >= 100 && codeNode.asInt() < 600
            ? codeNode.asInt()
            : 0;
    boolean retryable =
        status == 429
            || status >= 500
            || TRANSIENT.matcher(type).find()
            || TRANSIENT.matcher(code).find();
    String message = error.path("message").asText("");
    StringBuilder detail = new StringBuilder();
    if (!type.isEmpty()) detail.append(type);
    if (!code.isEmpty() && !code.equals(type))
      detail.append(detail.isEmpty() ? "" : " ").append("(code ").append(code).append(")");
    if (!message.isEmpty()) detail.append(detail.isEmpty() ? "" : ": ").append(message);
    return ModelAnswerException.streamError(
        detail.isEmpty() ? shorten(Json.write(error)) : shorten(detail.toString()),
        retryable,
        status);
  }

  private static String shorten(String text) {
    String oneLine = text.strip().replaceAll("\\s+", " ");
    return oneLine.length() <= MAX_DETAIL_CHARS
        ? oneLine
        : oneLine.substring(0, MAX_DETAIL_CHARS) + "…";
  }
}
