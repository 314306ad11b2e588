package dev.agentexecutor.model.provider;

import dev.langchain4j.exception.HttpException;
import java.util.Optional;

/**
 * An unsuccessful HTTP answer from a model server that, unlike LangChain4j's own {@link
 * HttpException}, keeps the {@code Retry-After} header so that {@link RetryPolicy} can honour it.
 * It extends {@code HttpException} so that LangChain4j still maps it to its exception types.
 */
final class ModelHttpException extends HttpException {
  private final String retryAfter;

  ModelHttpException(int statusCode, String body, String retryAfter) {
    super(statusCode, body);
    this.retryAfter = retryAfter;
  }

  /** The raw {@code Retry-After} header value (seconds or an HTTP-date), if the server sent one. */
  Optional<String> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
