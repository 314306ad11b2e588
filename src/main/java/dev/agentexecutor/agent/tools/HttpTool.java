package dev.agentexecutor.agent.tools;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.agent.definition.ToolDefinition;
import dev.agentexecutor.agent.run.ToolCallContext;
import dev.agentexecutor.agent.run.ToolResult;
import dev.agentexecutor.core.state.AgentState;
import dev.agentexecutor.model.ToolSpec;
import dev.agentexecutor.util.Json;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * A job-defined tool that calls an HTTP endpoint: the call's JSON arguments are the body (the query
 * string for GET and DELETE) and the response text is the result. Non-2xx answers are tool errors
 * the model sees. Nothing from the job is ever executed here; where the request may go is the
 * {@link HttpToolClient}'s policy.
 */
public final class HttpTool implements Tool {
  private static final String DEFAULT_CONTENT_TYPE = "application/json";
  private final ToolDefinition definition;
  private final ToolSpec spec;
  private final HttpToolClient client;

  public HttpTool(ToolDefinition definition, HttpToolClient client) {
    this.definition = definition;
    this.spec = new ToolSpec(definition.name(), definition.description(), definition.parameters());
    this.client = client;
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
    try {
      HttpToolClient.Reply reply = client.send(request(args));
      if (reply.status() / 100 != 2) {
        throw new ToolException(
            "HTTP " + reply.status() + " from " + definition.name() + ": " + reply.body());
      }
      return ToolResult.ok(reply.body(), state);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw interrupted();
    } catch (InterruptedIOException e) {
      if (Thread.currentThread().isInterrupted()) throw interrupted();
      throw new ToolException(
          "the call to " + definition.name() + " timed out after " + describe(client.timeout()));
    } catch (IOException e) {
      throw new ToolException(
          "the call to "
              + definition.name()
              + " failed: "
              + e.getClass().getSimpleName()
              + (e.getMessage() == null ? "" : " " + e.getMessage()));
    }
  }

  private ToolException interrupted() {
    return new ToolException("the call to " + definition.name() + " was interrupted");
  }

  private Request request(ObjectNode args) {
    String method = definition.http().method();
    URI uri = definition.http().url();
    Map<String, String> headers = definition.http().headers();
    String contentType =
        headers.entrySet().stream()
            .filter(h -> h.getKey().equalsIgnoreCase("Content-Type"))
            .map(Map.Entry::getValue)
            .findFirst()
            .orElse(DEFAULT_CONTENT_TYPE);
    RequestBody body = null;
    if (method.equals("GET") || method.equals("DELETE")) {
      uri = withQuery(uri, args);
    } else {
      // Bytes, not a String: OkHttp would otherwise append "; charset=utf-8" to the job's content
      // type.
      body =
          RequestBody.create(
              Json.write(args).getBytes(StandardCharsets.UTF_8), MediaType.parse(contentType));
    }
    HttpUrl url = HttpUrl.parse(uri.toString());
    if (url == null)
      throw new ToolException("the URL of " + definition.name() + " is not a valid http(s) URL");
    Request.Builder builder =
        new Request.Builder()
            .url(url)
            .method(method, body)
            .header("Content-Type", contentType)
            .header("Accept", "application/json, text/plain, */*");
    headers.forEach(builder::header); // the job's headers win over the defaults
    return builder.build();
  }

  private static URI withQuery(URI uri, ObjectNode args) {
    if (args.isEmpty()) return uri;
    StringJoiner query = new StringJoiner("&");
    args.fields()
        .forEachRemaining(
            e ->
                query.add(
                    URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                        + "="
                        + URLEncoder.encode(
                            e.getValue().isTextual()
                                ? e.getValue().asText()
                                : e.getValue().toString(),
                            StandardCharsets.UTF_8)));
    String separator = uri.getRawQuery() == null ? "?" : "&";
    return URI.create(uri + separator + query);
  }

  private static String describe(Duration duration) {
    return duration.toMillis() % 1000 == 0
        ? duration.toSeconds() + " s"
        : duration.toMillis() + " ms";
  }
}
