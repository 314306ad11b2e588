package dev.agentexecutor.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.testkit.CloudEvents;
import dev.agentexecutor.util.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Start-up and footprint: wall time from process start to the first {@code /ready} = 200 and the
 * resident memory one second later, embedded (no backend variables) and on the real servers, for
 * each JVM flag variant; CDS and AOT variants first do a training run (start, a few jobs, SIGTERM).
 */
final class StartupBench {
  static final double TARGET_READY_MS = 1_000;
  static final double TARGET_IDLE_RSS_MIB = 200;

  private record Variant(String name, List<String> training, List<String> flags) {}

  private final BenchConfig config;

  StartupBench(BenchConfig config) {
    this.config = config;
  }

  ObjectNode run() throws Exception {
    ObjectNode out =
        Json.object()
            .put("target_ready_ms", TARGET_READY_MS)
            .put("target_idle_rss_mib", TARGET_IDLE_RSS_MIB)
            .put("runs_per_variant", config.startupRuns())
            .put(
                "launch",
                System.getProperty("bench.jar", "").isBlank()
                    ? "classpath"
                    : "-jar " + System.getProperty("bench.jar"));
    ArrayNode variants = out.putArray("variants");
    Path archives = Files.createTempDirectory("bench-archives-");
    try (BenchEnvironment environment = new BenchEnvironment()) {
      Map<String, String> embedded = Map.of("LLM_PROVIDER", "scripted");
      for (String name : config.startupVariants()) {
        Variant variant = variant(name, archives);
        if (!variant.training().isEmpty()) train(variant, environment.env());
        ObjectNode result =
            variants
                .addObject()
                .put("name", name)
                .put("flags", String.join(" ", variant.flags()).replace(archives + "/", ""));
        result.set("embedded", measure(variant, embedded));
        result.set("backends", measure(variant, environment.env()));
      }
    } finally {
      try (Stream<Path> files = Files.list(archives)) {
        for (Path file : files.toList()) Files.deleteIfExists(file);
      }
      Files.deleteIfExists(archives);
    }
    return out;
  }

  private static Variant variant(String name, Path archives) {
    String jsa = archives.resolve("app.jsa").toString();
    String aot = archives.resolve(name.replace('+', '-') + ".aot").toString();
    return switch (name) {
      case "default" -> new Variant(name, List.of(), List.of());
      case "serial-gc" -> new Variant(name, List.of(), List.of("-XX:+UseSerialGC"));
      case "tiered-c1" -> new Variant(name, List.of(), List.of("-XX:TieredStopAtLevel=1"));
      case "appcds" ->
          new Variant(
              name,
              List.of("-XX:ArchiveClassesAtExit=" + jsa),
              List.of("-XX:SharedArchiveFile=" + jsa));
      case "aot-cache" ->
          new Variant(name, List.of("-XX:AOTCacheOutput=" + aot), List.of("-XX:AOTCache=" + aot));
      case "aot-cache+serial-gc" ->
          new Variant(
              name,
              List.of("-XX:+UseSerialGC", "-XX:AOTCacheOutput=" + aot),
              List.of("-XX:+UseSerialGC", "-XX:AOTCache=" + aot));
      default -> throw new IllegalArgumentException("unknown start-up variant " + name);
    };
  }

  /**
   * A training run on the real backends: start, run a few jobs over HTTP, stop (the JDK writes the
   * archive).
   */
  private static void train(Variant variant, Map<String, String> env) throws Exception {
    try (ServiceLauncher service = ServiceLauncher.start(variant.training(), env)) {
      service.awaitReady(Duration.ofSeconds(60));
      HttpClient http = HttpClient.newHttpClient();
      for (int i = 0; i < 20; i++) {
        String body =
            CloudEvents.structured(Jobs.threeStep("train-" + i + "-" + System.nanoTime()))
                .toString();
        HttpResponse<String> response =
            http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + "/"))
                    .header("Content-Type", "application/cloudevents+json")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200)
          throw new IllegalStateException(
              "training job answered " + response.statusCode() + ": " + response.body());
      }
      int exit = service.stop(Duration.ofSeconds(180));
      if (exit != 0)
        throw new IllegalStateException(
            "training run of "
                + variant.name()
                + " exited with "
                + exit
                + ":\n"
                + ServiceLauncher.tail(service.log()));
    }
  }

  private ObjectNode measure(Variant variant, Map<String, String> env) throws Exception {
    double[] ready = new double[config.startupRuns()];
    double[] rss = new double[config.startupRuns()];
    String warnings = "";
    for (int run = 0; run < config.startupRuns(); run++) {
      try (ServiceLauncher service = ServiceLauncher.start(variant.flags(), env)) {
        ready[run] = service.awaitReady(Duration.ofSeconds(60));
        Thread.sleep(config.mode().equals("smoke") ? 100 : 1_000);
        rss[run] = service.rssMib();
        warnings =
            service
                .log()
                .lines()
                .filter(l -> l.contains("[warning]") || l.contains("[error]"))
                .limit(3)
                .reduce("", (a, b) -> a + b + "\n");
      }
    }
    ObjectNode result = Json.object();
    result.put("ready_ms_median", Stats.round(median(ready)));
    result.set("ready_ms_runs", Json.tree(Arrays.stream(ready).map(Stats::round).toArray()));
    result.put("idle_rss_mib_median", Stats.round(median(rss)));
    result.set("idle_rss_mib_runs", Json.tree(Arrays.stream(rss).map(Stats::round).toArray()));
    if (!warnings.isBlank()) result.put("jvm_warnings", warnings.strip());
    return result;
  }

  private static double median(double[] values) {
    List<Double> sorted = new ArrayList<>(Arrays.stream(values).boxed().toList());
    sorted.sort(Comparator.naturalOrder());
    return sorted.get(sorted.size() / 2);
  }
}
