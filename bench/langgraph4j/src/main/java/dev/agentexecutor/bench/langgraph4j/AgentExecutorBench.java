package dev.agentexecutor.bench.langgraph4j;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.service.tool.ToolExecutor;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.management.ObjectName;
import org.bsc.langgraph4j.CompileConfig;
import org.bsc.langgraph4j.CompiledGraph;
import org.bsc.langgraph4j.RunnableConfig;
import org.bsc.langgraph4j.agentexecutor.AgentExecutor;
import org.bsc.langgraph4j.checkpoint.MemorySaver;

/**
 * LangGraph4j's prebuilt {@code AgentExecutor} on the engine benchmark's 3-step job: a scripted
 * model asks for {@code write_file}, the tool writes into memory, the model answers; checkpoints in
 * LangGraph4j's {@code MemorySaver}. Timed exactly as the engine benchmark times its jobs (warm-up,
 * then each job alone with {@code System.nanoTime()}, its clean-up untimed, the median of the
 * repeats), and written as JSON for bench/run.sh's report.
 *
 * <pre>run MODE OUT.json    MODE = full | quick | smoke, the engine benchmark's counts</pre>
 */
public final class AgentExecutorBench {
  private static final ObjectMapper JSON = new ObjectMapper();

  private AgentExecutorBench() {}

  /** The engine benchmark's counts for its 3-step job (bench BenchConfig). */
  record Counts(int repeats, int warmup, int iterations, Duration maxSettle) {
    static Counts of(String mode) {
      return switch (mode) {
        case "full" -> new Counts(3, 20_000, 30_000, Duration.ofSeconds(20));
        case "quick" -> new Counts(3, 5_000, 5_000, Duration.ofSeconds(5));
        case "smoke" -> new Counts(1, 20, 20, Duration.ZERO);
        default -> throw new IllegalArgumentException("unknown mode " + mode);
      };
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 3 || !args[0].equals("run")) {
      System.err.println("usage: run full|quick|smoke OUT.json");
      System.exit(2);
    }
    Counts counts = Counts.of(args[1]);
    long start = System.nanoTime();
    System.err.printf("[bench] langgraph4j (%s)...%n", args[1]);
    ObjectNode out = JSON.createObjectNode();
    out.put("library", "org.bsc.langgraph4j:langgraph4j-agent-executor");
    out.put("version", version());
    out.put("cpus_visible", Runtime.getRuntime().availableProcessors());
    List<ObjectNode> runs = new ArrayList<>();
    for (int repeat = 0; repeat < counts.repeats(); repeat++) {
      int warmup = repeat == 0 ? counts.warmup() : Math.max(10, counts.warmup() / 5);
      runs.add(
          new Job()
              .measure("lg4j-" + repeat + "-", warmup, counts.iterations(), counts.maxSettle()));
    }
    out.set("three_step", medianRun(runs));
    out.put("mode", args[1]);
    out.put("wall_s", round((System.nanoTime() - start) / 1e9));
    ObjectNode part = JSON.createObjectNode();
    part.set("langgraph4j", out);
    Files.writeString(
        Path.of(args[2]), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(part));
    System.err.printf("[bench] langgraph4j done in %.1f s%n", (System.nanoTime() - start) / 1e9);
    System.exit(0);
  }

  /** The agent executor's version, from its jar's Maven metadata. */
  private static String version() throws java.io.IOException {
    var properties = new java.util.Properties();
    try (var in =
        AgentExecutor.class.getResourceAsStream(
            "/META-INF/maven/org.bsc.langgraph4j/langgraph4j-agent-executor/pom.properties")) {
      if (in == null) return "unknown";
      properties.load(in);
    }
    return properties.getProperty("version", "unknown");
  }

  /** One compiled agent with its own checkpoint saver (a fresh one per repeat, as the engine's). */
  static final class Job {
    private final Saver saver = new Saver();
    private final Map<String, String> files = new ConcurrentHashMap<>();
    private final CompiledGraph<AgentExecutor.State> agent;

    Job() throws Exception {
      ToolSpecification writeFile =
          ToolSpecification.builder()
              .name("write_file")
              .description("Write a file.")
              .parameters(
                  JsonObjectSchema.builder()
                      .addStringProperty("file_path")
                      .addStringProperty("content")
                      .required("file_path", "content")
                      .build())
              .build();
      ToolExecutor write =
          (request, memoryId) -> {
            try {
              Map<?, ?> args = JSON.readValue(request.arguments(), Map.class);
              files.put((String) args.get("file_path"), (String) args.get("content"));
              return "Updated file " + args.get("file_path");
            } catch (Exception e) {
              return "Error: " + e.getMessage();
            }
          };
      agent =
          AgentExecutor.builder()
              .chatModel(new ScriptedModel())
              .toolSpecification(writeFile, write)
              .build()
              .compile(CompileConfig.builder().checkpointSaver(saver).build());
    }

    /** Runs one job on its own thread id; throws unless it ended with the scripted answer. */
    void run(String threadId) {
      Optional<AgentExecutor.State> end =
          agent.invoke(
              Map.of("messages", UserMessage.from("Answer the question.")),
              RunnableConfig.builder().threadId(threadId).build());
      String answer =
          end.flatMap(AgentExecutor.State::lastMessage)
              .filter(AiMessage.class::isInstance)
              .map(message -> ((AiMessage) message).text())
              .orElse("");
      if (!answer.equals(ScriptedModel.ANSWER))
        throw new IllegalStateException("unexpected end of job: " + end);
    }

    void forget(String threadId) {
      saver.forget(threadId);
      files.clear();
    }

    /**
     * As the engine benchmark's JobTimer: the warm-up count, then more warm-up until the JIT
     * compiler is idle (at most {@code maxSettle}), then each job timed alone.
     */
    ObjectNode measure(String prefix, int warmup, int iterations, Duration maxSettle) {
      long warmStart = System.nanoTime();
      int warmed = 0;
      for (; warmed < warmup; warmed++) {
        run(prefix + "w" + warmed);
        forget(prefix + "w" + warmed);
      }
      boolean settled = maxSettle.isZero();
      long settleEnd = System.nanoTime() + maxSettle.toNanos();
      for (int idle = 0; !settled && System.nanoTime() < settleEnd; ) {
        long batchEnd = System.nanoTime() + 100_000_000L;
        for (; System.nanoTime() < batchEnd; warmed++) {
          run(prefix + "w" + warmed);
          forget(prefix + "w" + warmed);
        }
        idle = compilerIdle() ? idle + 1 : 0;
        settled = idle >= 3;
      }
      double warmSeconds = (System.nanoTime() - warmStart) / 1e9;
      long[] nanos = new long[iterations];
      String[] ids = new String[iterations];
      for (int i = 0; i < iterations; i++) ids[i] = prefix + i;
      long busy = 0;
      for (int i = 0; i < iterations; i++) {
        long start = System.nanoTime();
        run(ids[i]);
        nanos[i] = System.nanoTime() - start;
        busy += nanos[i];
        forget(ids[i]);
      }
      ObjectNode json = stats(nanos, busy / 1e9);
      json.put("warmup_jobs_run", warmed);
      json.put("warmup_s", round(warmSeconds));
      json.put("jit_idle_before_timing", settled);
      return json;
    }
  }

  /** MemorySaver whose threads can be dropped after a job, as the engine benchmark deletes its. */
  static final class Saver extends MemorySaver {
    void forget(String threadId) {
      remove(threadId);
    }
  }

  /**
   * The engine benchmark's scripted 3-step job: the first call asks for {@code write_file}, the
   * call after the tool result answers.
   */
  static final class ScriptedModel implements ChatModel {
    static final String ANSWER = "The answer is in /answer.md.";

    @Override
    public ChatResponse doChat(ChatRequest request) {
      List<ChatMessage> messages = request.messages();
      ChatMessage last = messages.get(messages.size() - 1);
      AiMessage reply =
          last instanceof ToolExecutionResultMessage
              ? AiMessage.from(ANSWER)
              : AiMessage.from(
                  "Writing the answer.",
                  List.of(
                      ToolExecutionRequest.builder()
                          .id("call_1")
                          .name("write_file")
                          .arguments("{\"file_path\":\"/answer.md\",\"content\":\"forty-two\"}")
                          .build()));
      return ChatResponse.builder().aiMessage(reply).build();
    }
  }

  /** Whether no method is being compiled or waiting to be (HotSpot's Compiler.queue). */
  static boolean compilerIdle() {
    try {
      Object queue =
          ManagementFactory.getPlatformMBeanServer()
              .invoke(
                  new ObjectName("com.sun.management:type=DiagnosticCommand"),
                  "compilerQueue",
                  new Object[] {null},
                  new String[] {String[].class.getName()});
      return queue
          .toString()
          .lines()
          .noneMatch(line -> line.matches("^(C[12] CompilerThread|JVMCI|\\d).*"));
    } catch (Exception e) {
      return true;
    }
  }

  // The engine benchmark's statistics (bench Stats), for the same definitions of each figure.

  static ObjectNode stats(long[] nanos, double seconds) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    ObjectNode json = JSON.createObjectNode();
    json.put("count", sorted.length);
    json.put("p50_us", round(percentileMicros(sorted, 50)));
    json.put("p90_us", round(percentileMicros(sorted, 90)));
    json.put("p99_us", round(percentileMicros(sorted, 99)));
    json.put("mean_us", round(Arrays.stream(sorted).average().orElse(0) / 1_000.0));
    json.put("min_us", round(sorted.length == 0 ? 0 : sorted[0] / 1_000.0));
    json.put("max_us", round(sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1_000.0));
    json.put("seconds", round(seconds));
    json.put("per_s", round(seconds <= 0 ? 0 : sorted.length / seconds));
    return json;
  }

  private static double percentileMicros(long[] sorted, double p) {
    if (sorted.length == 0) return 0;
    int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1_000.0;
  }

  static ObjectNode medianRun(List<ObjectNode> runs) {
    List<ObjectNode> ordered = new ArrayList<>(runs);
    ordered.sort(
        (a, b) -> Double.compare(a.path("p50_us").asDouble(), b.path("p50_us").asDouble()));
    ObjectNode median = ordered.get(ordered.size() / 2).deepCopy();
    ArrayNode all = median.putArray("runs_p50_us");
    runs.forEach(run -> all.add(run.path("p50_us").asDouble()));
    double low = ordered.get(0).path("p50_us").asDouble();
    double high = ordered.get(ordered.size() - 1).path("p50_us").asDouble();
    double middle = median.path("p50_us").asDouble();
    median.put("spread_pct", middle == 0 ? 0 : round(100.0 * (high - low) / middle));
    median.put("repeats", runs.size());
    return median;
  }

  static double round(double value) {
    return Math.round(value * 100.0) / 100.0;
  }
}
