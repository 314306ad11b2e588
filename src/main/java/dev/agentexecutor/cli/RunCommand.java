package dev.agentexecutor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentexecutor.app.Application;
import dev.agentexecutor.config.Settings;
import dev.agentexecutor.core.problem.Problem;
import dev.agentexecutor.job.InvalidJobException;
import dev.agentexecutor.job.Job;
import dev.agentexecutor.job.JobParser;
import dev.agentexecutor.job.ResultEvents;
import dev.agentexecutor.runner.Outcome;
import dev.agentexecutor.stream.EventStream;
import dev.agentexecutor.util.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** run: executes one job in process and shows its progress live; exit 0 when it completes. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description =
        "Run one job in this process and show its progress live: steps, tool calls, "
            + "streamed tokens and the final files.%nExit codes: 0 completed, 1 failed or invalid, 2 unreadable file or bad configuration.")
public final class RunCommand implements Callable<Integer> {
  @Parameters(
      index = "0",
      paramLabel = "JOB.json",
      description =
          "A job {job_id, trace_id, agent_definition, input_payload}, or a structured CloudEvent carrying one.")
  Path file;

  @Option(names = "--quiet", description = "Print only the final output.")
  boolean quiet;

  @Option(
      names = "--json",
      description = "Print the result CloudEvent as JSON instead of a summary.")
  boolean json;

  @Override
  public Integer call() throws InterruptedException {
    Optional<Settings> loaded = CommandSettings.load(false);
    if (loaded.isEmpty()) return CommandSettings.BAD_CONFIGURATION;
    // Scripted model files come from SCRIPTED_SCRIPT_DIR, else from where the user runs the
    // command.
    Settings settings = loaded.get().withDefaultScriptDirectory(Path.of("").toAbsolutePath());
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      System.err.println(file + ": cannot read: " + e.getMessage());
      return 2;
    }
    Job job;
    try {
      job = parse(bytes, new JobParser(settings.maxPayloadBytes(), settings.limits().state()));
    } catch (InvalidJobException e) {
      System.err.println(file + ": not a valid job:");
      for (Problem p : e.problems())
        System.err.println("  " + p.path() + ": " + p.message() + " [" + p.code() + "]");
      return 1;
    }
    try (Application app = Application.offline(settings)) {
      PrintStream out = System.out;
      ConsoleRenderer renderer = new ConsoleRenderer(out, quiet || json);
      CountDownLatch ended = new CountDownLatch(1);
      EventStream.Subscription follow =
          app.backends()
              .events()
              .follow(
                  job.threadId(),
                  null,
                  event -> {
                    renderer.render(event.event());
                    if (event.event().isEnd()
                        && job.jobId().equals(event.event().data().path("job_id").asText()))
                      ended.countDown();
                  });
      Outcome outcome = app.runner().executeInTurn(job);
      ended.await(5, TimeUnit.SECONDS);
      follow.close();
      return report(outcome, out);
    }
  }

  /** A structured CloudEvent (its trace context is kept) or a bare job. */
  private static Job parse(byte[] bytes, JobParser parser) {
    JsonNode root = Json.parse(bytes);
    if (!root.has("specversion")) return parser.job(root);
    return JobParser.orThrow(
        parser.cloudEvent(Map.of("content-type", "application/cloudevents+json"), bytes));
  }

  private int report(Outcome outcome, PrintStream out) {
    switch (outcome) {
      case Outcome.Completed c -> {
        if (json)
          out.println(
              new String(ResultEvents.toJson(c.result()), java.nio.charset.StandardCharsets.UTF_8));
        else ConsoleRenderer.printResult(out, ResultEvents.data(c.result()), quiet);
        return 0;
      }
      case Outcome.Failed f -> {
        if (json)
          out.println(
              new String(ResultEvents.toJson(f.result()), java.nio.charset.StandardCharsets.UTF_8));
        else ConsoleRenderer.printFailure(System.err, ResultEvents.data(f.result()));
        return 1;
      }
      case Outcome.Cancelled c -> {
        if (json)
          out.println(
              new String(ResultEvents.toJson(c.result()), java.nio.charset.StandardCharsets.UTF_8));
        else ConsoleRenderer.printFailure(System.err, ResultEvents.data(c.result()));
        return 1;
      }
      case Outcome.Rejected r -> {
        System.err.println("invalid job: " + r.reason());
        return 1;
      }
      case Outcome.Retry r -> {
        System.err.println("a backend is unavailable: " + r.reason());
        return 1;
      }
      case Outcome.AlreadyRunning a -> {
        System.err.println("job " + a.jobId() + " is already running");
        return 1;
      }
      case Outcome.OtherTenant o -> {
        System.err.println(
            "job id " + o.jobId() + " belongs to another tenant's job; choose another id");
        return 1;
      }
      case Outcome.Queued q -> {
        System.err.println("job queued: its thread is busy with " + q.active());
        return 1;
      }
      case Outcome.Refused r -> {
        System.err.println("job refused (" + r.code() + "): " + r.message());
        return 1;
      }
    }
  }
}
