package dev.agentexecutor.testkit;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The service as a separate operating-system process (java -cp <test classpath> Main serve), for
 * tests that kill it: its output goes to a file that {@link #log()} returns for failure messages.
 */
public final class ServiceProcess implements AutoCloseable {
  private final Process process;
  private final Path logFile;
  private final int port;

  private ServiceProcess(Process process, Path logFile, int port) {
    this.process = process;
    this.logFile = logFile;
    this.port = port;
  }

  public static ServiceProcess start(Map<String, String> env) throws IOException {
    int port = RedisOrNatsServer.freePort();
    Path log = Files.createTempFile("agent-executor-", ".log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder =
        new ProcessBuilder(
                java,
                "-Xmx256m",
                // The production logging configuration, not the test one that is also on the
                // classpath.
                "-Dlogback.configurationFile=logback.xml",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.agentexecutor.Main",
                "serve")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().putAll(env);
    builder.environment().put("PORT", Integer.toString(port));
    builder.environment().putIfAbsent("LOG_FORMAT", "text");
    return new ServiceProcess(builder.start(), log, port);
  }

  public int port() {
    return port;
  }

  /** Waits until GET /ready answers 200. */
  public void awaitReady(Duration timeout) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive())
        throw new AssertionError("the service exited with " + process.exitValue() + ":\n" + log());
      try {
        HttpResponse<String> ready =
            http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (ready.statusCode() == 200) return;
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the service was not ready within " + timeout + ":\n" + log());
  }

  /** SIGKILL: no shutdown hook, no drain, nothing acked. */
  public void kill() throws InterruptedException {
    process.destroyForcibly().waitFor();
  }

  /** SIGTERM, then the exit code. */
  public int terminate(Duration timeout) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
      process.destroyForcibly().waitFor();
      throw new AssertionError("the service did not stop within " + timeout + ":\n" + log());
    }
    return process.exitValue();
  }

  public String log() {
    try {
      return Files.readString(logFile);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) process.destroyForcibly().waitFor();
    new File(logFile.toString()).delete();
  }
}
