package dev.agentexecutor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentexecutor.agent.run.Decision;
import dev.agentexecutor.app.Application;
import dev.agentexecutor.config.Settings;
import dev.agentexecutor.core.problem.Problem;
import dev.agentexecutor.job.InvalidJobException;
import dev.agentexecutor.job.Job;
import dev.agentexecutor.job.JobParser;
import dev.agentexecutor.job.ResultEvents;
import dev.agentexecutor.job.ResumeRequest;
import dev.agentexecutor.runner.Outcome;
import dev.agentexecutor.stream.EventStream;
import dev.agentexecutor.util.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;
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
            + "streamed tokens and the final files. When the job parks for approval "
            + "(interrupt_on), asks for a decision on each call on the terminal.%n"
            + "Exit codes: 0 completed, 1 failed or invalid, 2 unreadable file or bad configuration, "
            + "3 waiting for approval and no terminal to ask on (the interrupts are printed).")
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

  @Option(
      names = "--decide-from-stdin",
      description =
          "Read approval decisions from standard input even when it is not a terminal "
              + "(a (pprove), e (dit) then one line of JSON arguments, r (eject) then a reason).")
  boolean decideFromStdin;

  /** Exit code of a run that parked for approval with nobody to ask. */
  static final int WAITING_FOR_APPROVAL = 3;

  @Override
  public Integer call() throws InterruptedException, IOException {
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
      Follower follower = new Follower(app.backends().events(), job.threadId(), renderer);
      Outcome outcome = app.runner().executeInTurn(job);
      follower.awaitEnd();
      BufferedReader stdin =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      while (outcome instanceof Outcome.Interrupted parked) {
        JsonNode interrupts = ResultEvents.data(parked.result()).path("interrupts");
        DecisionPrompt.print(out, interrupts);
        Optional<List<Decision>> decisions =
            System.console() == null && !decideFromStdin
                ? Optional.empty()
                : new DecisionPrompt(stdin, out).ask(interrupts);
        if (decisions.isEmpty()) {
          System.err.println(
              "job " + job.jobId() + " waits for approval and there is no one to ask");
          follower.close();
          return WAITING_FOR_APPROVAL;
        }
        follower.followAgain(); // a run's stream ends at each park: follow its continuation
        outcome =
            app.runner()
                .resume(
                    new ResumeRequest(
                        job.jobId(), job.traceId(), job.tenant(), decisions.get(), job.trace()),
                    false);
        follower.awaitEnd();
      }
      follower.close();
      return report(outcome, out);
    }
  }

  /** Renders the thread's events as they come, one run (up to its {@code end}) at a time. */
  private static final class Follower implements AutoCloseable {
    private final EventStream events;
    private final String threadId;
    private final ConsoleRenderer renderer;
    private final Semaphore ends = new Semaphore(0);
    private volatile String lastId;
    private EventStream.Subscription subscription;

    Follower(EventStream events, String threadId, ConsoleRenderer renderer) {
      this.events = events;
      this.threadId = threadId;
      this.renderer = renderer;
      subscribe();
    }

    private void subscribe() {
      subscription =
          events.follow(
              threadId,
              lastId,
              event -> {
                lastId = event.id();
                renderer.render(event.event());
                if (event.event().isEnd()) ends.release();
              });
    }

    void followAgain() {
      subscription.close();
      subscribe();
    }

    void awaitEnd() throws InterruptedException {
      ends.tryAcquire(5, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
      subscription.close();
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
      case Outcome.Interrupted i -> {
        System.err.println("the job is waiting for decisions on its interrupts");
        return WAITING_FOR_APPROVAL;
      }
      case Outcome.Ignored i -> {
        System.err.println("nothing was run: " + i.reason());
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
