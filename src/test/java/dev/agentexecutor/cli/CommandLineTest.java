package dev.agentexecutor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentexecutor.Main;
import dev.agentexecutor.testkit.PostgresTestSchema;
import dev.agentexecutor.testkit.RedisOrNatsServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line's commands, their output and their exit codes. */
class CommandLineTest {
  @TempDir Path temp;

  /** Output and exit code of one in-process invocation. */
  record Result(int exit, String out, String err) {}

  private static Result run(String... args) {
    return runWithInput("", args);
  }

  /** One invocation with {@code input} as its standard input. */
  private static Result runWithInput(String input, String... args) {
    java.io.InputStream in = System.in;
    System.setIn(new java.io.ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
    try {
      return runWithStreams(args);
    } finally {
      System.setIn(in);
    }
  }

  private static Result runWithStreams(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
      int exit = new CommandLine(new Main()).execute(args);
      return new Result(
          exit, stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  @Test
  void runOfAJobThatParksWithNobodyToAskPrintsTheInterruptsAndExitsThree() {
    Result result = run("run", "examples/approval.json");

    assertThat(result.exit()).as(result.err()).isEqualTo(3);
    assertThat(result.out())
        .contains("== waiting for approval: 1 tool call(s) ==", "announcer wants write_file");
    assertThat(result.err()).contains("waits for approval");
  }

  @Test
  void runAsksForEachDecisionAndResumesTheJobWithIt() {
    Result edited =
        runWithInput(
            "maybe\ne\n{\"file_path\": \"/edited.md\", \"content\": \"Shorter.\"}\n",
            "run",
            "examples/approval.json",
            "--decide-from-stdin");

    assertThat(edited.exit()).as(edited.err()).isZero();
    assertThat(edited.out())
        .contains("approve / edit / reject?", "answer one of", "/edited.md", "== completed ==")
        .doesNotContain("/announcement.md (");

    Result rejected =
        runWithInput(
            "r\nnot before the launch\n", "run", "examples/approval.json", "--decide-from-stdin");
    assertThat(rejected.exit()).as(rejected.err()).isZero();
    assertThat(rejected.out()).contains("== completed ==").doesNotContain("/announcement.md (");

    Result endOfInput = runWithInput("", "run", "examples/approval.json", "--decide-from-stdin");
    assertThat(endOfInput.exit()).isEqualTo(3);
  }

  @Test
  void runShowsProgressLiveAndTheFinalFilesAndExitsZero() {
    Result result = run("run", "examples/research-team.json");

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.out())
        .contains(
            "-> lead calls write_todos",
            "-> researcher calls write_file",
            "[x] Write the report",
            "/report.md (2 lines)",
            "== completed ==",
            "tokens: ");
  }

  @Test
  void runExitsOneForAFailingJobAndForAnInvalidOne() throws IOException {
    Path failing = temp.resolve("failing.json");
    Files.writeString(
        failing,
        """
        {"job_id": "cli-fail", "trace_id": "t", "input_payload": {"instructions": "go"},
         "agent_definition": {"nodes": [{"id": "a", "type": "orchestrator", "config": {"name": "a", "system_prompt": "p",
           "model": {"provider": "scripted", "script": []}}}]}}""");
    Result failed = run("run", failing.toString());
    assertThat(failed.exit()).isEqualTo(1);
    assertThat(failed.err())
        .contains("== failed (ModelError) ==", "scripted model has no response #1");

    Path invalid = temp.resolve("invalid.json");
    Files.writeString(invalid, "{\"job_id\": \"x\"}");
    Result rejected = run("run", invalid.toString());
    assertThat(rejected.exit()).isEqualTo(1);
    assertThat(rejected.err()).contains("$.trace_id: is required [JOB_FIELD_MISSING]");

    assertThat(run("run", temp.resolve("missing.json").toString()).exit()).isEqualTo(2);
  }

  @Test
  void validateDefinitionPrintsEveryProblemWithExitCodes() throws IOException {
    assertThat(run("validate-definition", "examples/openai-haiku.json").out()).contains("valid");
    assertThat(run("validate-definition", "examples/openai-haiku.json").exit()).isZero();

    Path definition = temp.resolve("definition.json");
    Files.writeString(
        definition,
        """
        {"nodes": [{"id": "a", "type": "wizard", "config": {"name": "a", "system_prompt": "p", "tools": ["nope"]}}],
         "tool_definitions": [{"name": "calc", "runtime": {"script": "print(1)"}}]}""");
    Result invalid = run("validate-definition", definition.toString());
    assertThat(invalid.exit()).isEqualTo(1);
    assertThat(invalid.out())
        .contains(
            "3 problems",
            "$.nodes[0].type",
            "DEF_NODE_TYPE",
            "DEF_TOOL_UNKNOWN",
            "tool 'calc' is a Python script tool");

    Path broken = temp.resolve("broken.json");
    Files.writeString(broken, "{nope");
    assertThat(run("validate-definition", broken.toString()).exit()).isEqualTo(2);
  }

  @Test
  void helpIsAvailableEverywhere() {
    assertThat(run("--help").out()).contains("serve", "run", "validate-definition", "migrate");
    assertThat(run("run", "--help").out()).contains("Exit codes");
    assertThat(run("migrate", "--help").out()).contains("[ACTION] [N]", "database unreachable");
  }

  /** migrate reads its database from the environment, so it runs in a child JVM. */
  private static Result migrate(Map<String, String> env, String... args) throws Exception {
    String javaBinary = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command =
        new ArrayList<>(
            List.of(
                javaBinary,
                "-cp",
                System.getProperty("java.class.path"),
                "-Dlogback.configurationFile=logback.xml",
                "dev.agentexecutor.Main",
                "migrate"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().clear();
    builder.environment().putAll(env);
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Result(process.waitFor(), out, err);
  }

  @Test
  @Tag("integration")
  void migrateAppliesListsAndRevertsWithTheScriptsExitCodes() throws Exception {
    String schema = "t_cli_" + UUID.randomUUID().toString().substring(0, 8);
    Map<String, String> env =
        Map.of(
            "POSTGRES_HOST",
            PostgresTestSchema.HOST,
            "POSTGRES_DB",
            PostgresTestSchema.DATABASE,
            "POSTGRES_USER",
            PostgresTestSchema.USER,
            "POSTGRES_SCHEMA",
            schema);
    try {
      Result up = migrate(env, "up");
      assertThat(up.exit()).as(up.err()).isZero();
      assertThat(up.out()).contains("applied 001_create_checkpointer_tables.up.sql");
      assertThat(migrate(env, "up").out()).contains("nothing to do");
      assertThat(migrate(env, "status").out()).contains("applied");
      Result down = migrate(env, "down", "1");
      assertThat(down.exit()).isZero();
      assertThat(down.out()).contains("reverted 007");

      assertThat(migrate(Map.of(), "up").exit()).as("no database configured").isEqualTo(2);
      Result unreachable =
          migrate(
              Map.of(
                  "POSTGRES_HOST",
                  "127.0.0.1",
                  "POSTGRES_PORT",
                  Integer.toString(RedisOrNatsServer.freePort()),
                  "POSTGRES_SCHEMA",
                  schema),
              "up");
      assertThat(unreachable.exit()).as(unreachable.err()).isEqualTo(3);
      assertThat(migrate(env, "sideways").exit()).isEqualTo(2);
    } finally {
      PostgresTestSchema.execute("drop schema if exists " + schema + " cascade");
    }
  }
}
