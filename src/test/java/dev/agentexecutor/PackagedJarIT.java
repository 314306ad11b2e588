package dev.agentexecutor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentexecutor.testkit.RedisOrNatsServer;
import dev.agentexecutor.util.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The jar `mvn package` produces (the one the image runs), run as `java -jar` after packaging
 * (failsafe): its --version and GET /health report the project version and the commit it was built
 * from, and SIGTERM stops it with status 0 through the shutdown hook.
 */
class PackagedJarIT {
  private static final Path JAR = Path.of("target/agent-executor.jar");
  private static final String VERSION = System.getProperty("expected.version");
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /**
   * `java -jar` the packaged jar with an empty environment (in-memory backends), output to a file.
   */
  private static ProcessBuilder builder(Path output, String... args) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command =
        new java.util.ArrayList<>(List.of(java, "-Xmx128m", "-jar", JAR.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
    builder.environment().clear();
    builder.environment().put("PATH", System.getenv("PATH"));
    return builder;
  }

  /** The commit HEAD points at, or null outside a git checkout. */
  private static String headCommit() throws Exception {
    Process git = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
    String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    return git.waitFor() == 0 && out.matches("[0-9a-f]{40}") ? out : null;
  }

  @Test
  void versionOptionReportsTheProjectVersionAndTheCommit() throws Exception {
    Path output = Files.createTempFile("version-", ".txt");
    Process process = builder(output, "--version").start();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();

    String printed = Files.readString(output).strip();
    assertThat(process.exitValue()).as(printed).isZero();
    assertThat(VERSION)
        .as("failsafe passes the project version")
        .isNotBlank()
        .doesNotStartWith("${");
    assertThat(printed)
        .startsWith("agent-executor " + VERSION + " (commit ")
        .doesNotContain(" dev ");
    String head = headCommit();
    if (head != null)
      assertThat(printed).isEqualTo("agent-executor " + VERSION + " (commit " + head + ")");
  }

  @Test
  void healthReportsTheSameVersionAndCommitAndSigtermExitsZero() throws Exception {
    Path versionOutput = Files.createTempFile("version-", ".txt");
    assertThat(builder(versionOutput, "--version").start().waitFor(30, TimeUnit.SECONDS)).isTrue();
    String commit =
        Files.readString(versionOutput).strip().replaceAll(".*\\(commit (.*)\\)$", "$1");

    int port = RedisOrNatsServer.freePort();
    Path log = Files.createTempFile("serve-", ".log");
    ProcessBuilder serve = builder(log, "serve");
    serve.environment().put("PORT", Integer.toString(port));
    serve.environment().put("LOG_FORMAT", "text");
    Process service = serve.start();
    try {
      JsonNode health = awaitHealth(port, service, log);
      assertThat(health.path("status").asText()).isEqualTo("healthy");
      assertThat(health.path("version").asText()).isEqualTo(VERSION);
      assertThat(health.path("commit").asText()).isEqualTo(commit);

      service.destroy(); // SIGTERM
      assertThat(service.waitFor(30, TimeUnit.SECONDS)).as(Files.readString(log)).isTrue();
      assertThat(service.exitValue()).as(Files.readString(log)).isZero();
      assertThat(Files.readString(log))
          .contains(
              "agent-executor " + VERSION + " (commit " + commit + ") starting",
              "agent-executor stopped");
    } finally {
      service.destroyForcibly();
    }
  }

  private static JsonNode awaitHealth(int port, Process service, Path log) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      if (!service.isAlive())
        throw new AssertionError(
            "the jar exited with " + service.exitValue() + ":\n" + Files.readString(log));
      try {
        HttpResponse<String> health =
            HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (health.statusCode() == 200) return Json.parse(health.body());
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no /health within 30 s:\n" + Files.readString(log));
  }
}
