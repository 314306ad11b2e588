package dev.agentexecutor.agent.definition;

import java.net.URI;
import java.util.Map;

/**
 * Where an HTTP tool sends its calls: the JSON arguments are the body, the response text the
 * result.
 */
public record HttpToolRuntime(URI url, String method, Map<String, String> headers) {
  public HttpToolRuntime {
    headers = Map.copyOf(headers);
  }
}
