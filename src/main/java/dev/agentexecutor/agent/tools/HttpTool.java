package dev.agentexecutor.agent.tools;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.agent.definition.ToolDefinition;
import dev.agentexecutor.agent.state.AgentState;
import dev.agentexecutor.model.ToolSpec;
import dev.agentexecutor.util.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.StringJoiner;

/**
 * A job-defined tool that calls an HTTP endpoint: the call's JSON arguments are the body (the
 * query string for GET and DELETE) and the response text is the result. Non-2xx answers are tool
 * errors the model sees. Nothing from the job is ever executed here.
 */
public final class HttpTool implements Tool {
  private static final int MAX_RESPONSE_CHARS = 100_000;
  private final ToolDefinition definition;
  private final ToolSpec spec;
  private final HttpClient client;
  private final Duration timeout;

  private final HttpToolPolicy policy;

  public HttpTool(ToolDefinition definition, HttpClient client, Duration timeout) {
    this(definition, client, timeout, HttpToolPolicy.DEFAULT);
  }

  public HttpTool(ToolDefinition definition, HttpClient client, Duration timeout, HttpToolPolicy policy) {
    this.policy = policy;
    this.definition = definition;
    this.spec = new ToolSpec(definition.name(), definition.description(), definition.parameters());
    this.client = client;
    this.timeout = timeout;
  }

  @Override
  public ToolSpec spec() {
    return spec;
  }

  @Override
  public Execution execution() {
    return Execution.IO_BOUND;
  }

  @Override
  public ToolResult call(ObjectNode args, AgentState state, ToolCallContext context) {
    policy.check(definition.http().url());
    HttpRequest request = request(args);
    try {
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      String body = truncate(response.body());
      if (response.statusCode() / 100 != 2) {
        throw new ToolException("HTTP " + response.statusCode() + " from " + definition.name() + ": " + body);
      }
      return ToolResult.ok(body, state);
    } catch (HttpTimeoutException e) {
      throw new ToolException("the call to " + definition.name() + " timed out after " + describe(timeout));
    } catch (IOException e) {
      throw new ToolException("the call to " + definition.name() + " failed: " + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : " " + e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ToolException("the call to " + definition.name() + " was interrupted");
    }
  }

  private HttpRequest request(ObjectNode args) {
    String method = definition.http().method();
    URI uri = definition.http().url();
    HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.noBody();
    if (method.equals("GET") || method.equals("DELETE")) {
      uri = withQuery(uri, args);
    } else {
      body = HttpRequest.BodyPublishers.ofString(Json.write(args));
    }
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(timeout).method(method, body)
        .header("Content-Type", "application/json").header("Accept", "application/json, text/plain, */*");
    definition.http().headers().forEach(builder::setHeader); // the job's headers win over the defaults
    return builder.build();
  }

  private static URI withQuery(URI uri, ObjectNode args) {
    if (args.isEmpty()) return uri;
    StringJoiner query = new StringJoiner("&");
    args.fields().forEachRemaining(e -> query.add(
        URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
            + URLEncoder.encode(e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString(), StandardCharsets.UTF_8)));
    String separator = uri.getRawQuery() == null ? "?" : "&";
    return URI.create(uri + separator + query);
  }

  private static String describe(Duration duration) {
    return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
  }

  private static String truncate(String text) {
    return text.length() <= MAX_RESPONSE_CHARS ? text
        : text.substring(0, MAX_RESPONSE_CHARS) + "\n[truncated: " + text.length() + " characters in all]";
  }
}
