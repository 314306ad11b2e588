package dev.agentexecutor.model.provider;

import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * LangChain4j's HTTP port implemented over the JDK client. It exists because LangChain4j's own JDK
 * client drops the response headers of failed calls; this one reports them as a {@link
 * ModelHttpException} carrying {@code Retry-After}. Streaming calls block the calling thread, which
 * is what the model call does anyway (and an interrupt cancels them).
 */
final class ModelHttpClient implements HttpClient {
  private final java.net.http.HttpClient http;
  private final Duration readTimeout;

  private ModelHttpClient(Builder builder) {
    var jdk = java.net.http.HttpClient.newBuilder();
    if (builder.connectTimeout != null) jdk.connectTimeout(builder.connectTimeout);
    this.http = jdk.build();
    this.readTimeout = builder.readTimeout;
  }

  @Override
  public SuccessfulHttpResponse execute(HttpRequest request) {
    HttpResponse<byte[]> response = send(request, BodyHandlers.ofByteArray());
    String body = new String(response.body(), StandardCharsets.UTF_8);
    if (!isSuccessful(response)) throw failure(response, body);
    return SuccessfulHttpResponse.builder()
        .statusCode(response.statusCode())
        .headers(response.headers().map())
        .body(body)
        .build();
  }

  @Override
  public void execute(
      HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
    HttpResponse<InputStream> response;
    try {
      response = send(request, BodyHandlers.ofInputStream());
    } catch (RuntimeException e) {
      listener.onError(e);
      return;
    }
    StreamErrorDetector detector = new StreamErrorDetector(listener);
    try (InputStream body = response.body()) {
      if (!isSuccessful(response)) {
        listener.onError(
            failure(response, new String(body.readAllBytes(), StandardCharsets.UTF_8)));
        return;
      }
      listener.onOpen(
          SuccessfulHttpResponse.builder()
              .statusCode(response.statusCode())
              .headers(response.headers().map())
              .build());
      parser.parse(body, detector);
      detector.onClose(); // a stream that reported an error is not closed as a success
    } catch (IOException | RuntimeException e) {
      detector.onError(e);
    }
  }

  private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
    try {
      return http.send(toJdkRequest(request), handler);
    } catch (IOException e) {
      throw new ModelConnectionException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ModelConnectionException(e);
    }
  }

  private java.net.http.HttpRequest toJdkRequest(HttpRequest request) {
    var builder = java.net.http.HttpRequest.newBuilder(URI.create(request.url()));
    request.headers().forEach((name, values) -> values.forEach(v -> builder.header(name, v)));
    var body =
        request.body() == null
            ? java.net.http.HttpRequest.BodyPublishers.noBody()
            : java.net.http.HttpRequest.BodyPublishers.ofString(request.body());
    builder.method(request.method().name(), body);
    if (readTimeout != null) builder.timeout(readTimeout);
    return builder.build();
  }

  private static boolean isSuccessful(HttpResponse<?> response) {
    return response.statusCode() >= 200 && response.statusCode() < 300;
  }

  private static ModelHttpException failure(HttpResponse<?> response, String body) {
    return new ModelHttpException(
        response.statusCode(), body, response.headers().firstValue("Retry-After").orElse(null));
  }

  /** An I/O failure (refused connection, timeout, reset) as an unchecked exception; retryable. */
  static final class ModelConnectionException extends RuntimeException {
    ModelConnectionException(Exception cause) {
      super(cause.toString(), cause);
    }
  }

  /** What LangChain4j's model builders configure: timeouts, then {@link #build()}. */
  static final class Builder implements HttpClientBuilder {
    private Duration connectTimeout;
    private Duration readTimeout;

    @Override
    public Duration connectTimeout() {
      return connectTimeout;
    }

    @Override
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = timeout;
      return this;
    }

    @Override
    public Duration readTimeout() {
      return readTimeout;
    }

    @Override
    public Builder readTimeout(Duration timeout) {
      this.readTimeout = timeout;
      return this;
    }

    @Override
    public HttpClient build() {
      return new ModelHttpClient(this);
    }
  }
}
