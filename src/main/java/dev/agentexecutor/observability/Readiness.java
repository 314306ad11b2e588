package dev.agentexecutor.observability;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.util.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Runs every health check in parallel with a deadline and reports the service ready when all pass.
 */
public final class Readiness {
  private final List<HealthCheck> checks;
  private final Duration deadline;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

  public Readiness(List<HealthCheck> checks, Duration deadline) {
    this.checks = List.copyOf(checks);
    this.deadline = deadline;
  }

  /** A readiness report: ready flag and the JSON body of /ready. */
  public record Report(boolean ready, ObjectNode body) {}

  public Report check() {
    Map<HealthCheck, CompletableFuture<Boolean>> running = new LinkedHashMap<>();
    for (HealthCheck check : checks)
      running.put(check, CompletableFuture.supplyAsync(check::healthy, executor));
    ObjectNode services = Json.object();
    boolean ready = true;
    for (var entry : running.entrySet()) {
      boolean up;
      try {
        up = entry.getValue().get(deadline.toMillis(), TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        up = false;
      }
      ready &= up;
      services
          .putObject(entry.getKey().name())
          .put("status", up ? "up" : "down")
          .put("backend", entry.getKey().backend());
    }
    ObjectNode body = Json.object().put("status", ready ? "ready" : "not_ready");
    body.set("services", services);
    body.put("timestamp", Instant.now().toString());
    return new Report(ready, body);
  }
}
