package dev.agentexecutor.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.testkit.NatsTestKit;
import dev.agentexecutor.testkit.PostgresTestSchema;
import dev.agentexecutor.testkit.RedisTestKit;
import dev.agentexecutor.util.Json;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.nats.client.Connection;
import io.nats.client.Nats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Merges the parts of a run, adds the machine, and writes {@code <UTC>.json}, latest.json and
 * latest.md.
 */
final class Report {
  private Report() {}

  static void write(Path directory, List<Path> parts) throws Exception {
    ObjectNode report = Json.object();
    Instant now = Instant.now();
    report.put("timestamp", now.toString());
    report.set("machine", machine());
    ObjectNode results = report.putObject("results");
    for (Path part : parts) {
      JsonNode json = Json.parse(Files.readString(part));
      for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        results.set(field.getKey(), field.getValue());
      }
    }
    Files.createDirectories(directory);
    String json = Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(report);
    String stamp =
        DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(now);
    Files.writeString(directory.resolve(stamp + ".json"), json);
    Files.writeString(directory.resolve("latest.json"), json);
    String markdown = ReportTable.markdown(report);
    Files.writeString(directory.resolve("latest.md"), markdown);
    System.out.print(markdown);
  }

  static ObjectNode machine() {
    ObjectNode machine = Json.object();
    machine.put("nproc", Runtime.getRuntime().availableProcessors());
    String memory = firstLine("/proc/meminfo", "MemTotal:");
    machine.put(
        "memory",
        memory.endsWith(" kB")
            ? String.format(
                java.util.Locale.ROOT,
                "%.1f GiB",
                Long.parseLong(memory.replace(" kB", "")) / 1048576.0)
            : memory);
    machine.put("cpu_model", firstLine("/proc/cpuinfo", "model name"));
    machine.put("kernel", System.getProperty("os.version"));
    machine.put(
        "jdk",
        System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version"));
    try {
      machine.put(
          "postgresql", String.valueOf(PostgresTestSchema.queryValue("show server_version")));
    } catch (Exception e) {
      machine.put("postgresql", "unreachable: " + e.getMessage());
    }
    RedisClient client = RedisClient.create(RedisTestKit.SHARED_URI);
    try (StatefulRedisConnection<String, String> redis = client.connect()) {
      machine.put(
          "redis",
          redis
              .sync()
              .info("server")
              .lines()
              .filter(l -> l.startsWith("redis_version:"))
              .findFirst()
              .orElse("?")
              .substring(14));
    } catch (Exception e) {
      machine.put("redis", "unreachable: " + e.getMessage());
    } finally {
      client.shutdown();
    }
    try (Connection nats = Nats.connect(NatsTestKit.SHARED_URL)) {
      machine.put(
          "nats",
          nats.getServerInfo().getVersion()
              + (nats.getServerInfo().isJetStreamAvailable() ? " (JetStream)" : ""));
    } catch (Exception e) {
      machine.put("nats", "unreachable: " + e.getMessage());
    }
    return machine;
  }

  private static String firstLine(String file, String prefix) {
    try {
      return Files.readAllLines(Path.of(file)).stream()
          .filter(l -> l.startsWith(prefix))
          .map(l -> l.substring(l.indexOf(':') + 1).strip())
          .findFirst()
          .orElse("?");
    } catch (IOException e) {
      return "?";
    }
  }
}
