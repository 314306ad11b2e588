package dev.agentexecutor.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.observability.Logging;
import dev.agentexecutor.util.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The benchmark command line that bench/run.sh drives:
 *
 * <pre>
 * run MODE OUT.json NAME...     runs benchmarks (engine, durable, storage, startup, streaming)
 * report OUT_DIR PART.json...   merges parts, adds the machine, writes the JSON and Markdown
 * jfr-top RECORDING.jfr [N]     the hottest methods of a JFR recording
 * </pre>
 */
public final class BenchMain {
  static final List<String> BENCHMARKS =
      List.of("engine", "durable", "storage", "startup", "streaming");

  private BenchMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println(
          "usage: run MODE OUT.json NAME... | report OUT_DIR PART.json... | jfr-top FILE.jfr [N]");
      System.exit(2);
    }
    switch (args[0]) {
      case "run" -> {
        Logging.configure("WARN", "text", true);
        ObjectNode results =
            runAll(BenchConfig.named(args[1]), Arrays.asList(args).subList(3, args.length));
        Files.writeString(
            Path.of(args[2]),
            Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(results));
      }
      case "report" ->
          Report.write(Path.of(args[1]), Arrays.stream(args).skip(2).map(Path::of).toList());
      case "jfr-top" ->
          System.out.print(
              JfrTop.summarise(Path.of(args[1]), args.length > 2 ? Integer.parseInt(args[2]) : 15));
      default -> throw new IllegalArgumentException("unknown command " + args[0]);
    }
    System.exit(0); // client libraries leave non-daemon threads behind
  }

  /** Runs the named benchmarks in order; each one's results under its name. */
  static ObjectNode runAll(BenchConfig config, List<String> names) throws Exception {
    ObjectNode results = Json.object();
    for (String name : names) {
      long start = System.nanoTime();
      System.err.printf("[bench] %s (%s)...%n", name, config.mode());
      JsonNode result =
          switch (name) {
            case "engine" -> new EngineBench(config).run();
            case "durable" -> new DurableBench(config).run();
            case "storage" -> new StorageBench(config).run();
            case "startup" -> new StartupBench(config).run();
            case "streaming" -> new StreamingBench(config).run();
            default ->
                throw new IllegalArgumentException(
                    "unknown benchmark " + name + " (one of " + BENCHMARKS + ")");
          };
      ((ObjectNode) result)
          .put("mode", config.mode())
          .put("wall_s", Stats.round((System.nanoTime() - start) / 1e9));
      results.set(name, result);
      System.err.printf("[bench] %s done in %.1f s%n", name, (System.nanoTime() - start) / 1e9);
    }
    return results;
  }
}
