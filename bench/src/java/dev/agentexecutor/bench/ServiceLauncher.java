package dev.agentexecutor.bench;

import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The service as a child process ({@code java FLAGS -jar target/agent-executor.jar serve} when the
 * system property {@code bench.jar} names the jar, else {@code java FLAGS -cp <this classpath>
 * dev.agentexecutor.Main serve}), with its start time, readiness, resident memory and log.
 */
final class ServiceLauncher implements AutoCloseable {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Process process;
  private final long startedNanos;
  private final Path log;
  private final int port;

  private ServiceLauncher(Process process, long startedNanos, Path log, int port) {
    this.process = process;
    this.startedNanos = startedNanos;
    this.log = log;
    this.port = port;
  }

  static ServiceLauncher start(List<String> jvmFlags, Map<String, String> env) throws IOException {
    int port = freePort();
    Path log = Files.createTempFile("bench-service-", ".log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmFlags);
    String jar = System.getProperty("bench.jar", "");
    if (!jar.isBlank() && Files.isRegularFile(Path.of(jar))) {
      command.addAll(List.of("-jar", jar));
    } else {
      command.addAll(
          List.of("-cp", System.getProperty("java.class.path"), "dev.agentexecutor.Main"));
    }
    command.add("serve");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(env);
    builder.environment().put("PORT", Integer.toString(port));
    long started = System.nanoTime();
    return new ServiceLauncher(builder.start(), started, log, port);
  }

  /** Polls GET /ready every 5 ms; returns milliseconds from process start to the first 200. */
  double awaitReady(Duration timeout) throws Exception {
    HttpRequest ready =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready"))
            .timeout(Duration.ofSeconds(2))
            .build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive())
        throw new IllegalStateException(
            "the service exited with " + process.exitValue() + ":\n" + tail(log()));
      try {
        if (HTTP.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return (System.nanoTime() - startedNanos) / 1e6;
        }
      } catch (ConnectException e) {
        // not listening yet
      } catch (IOException e) {
        // listening, not answering yet
      }
      Thread.sleep(5);
    }
    throw new IllegalStateException(
        "the service was not ready within " + timeout + ":\n" + tail(log()));
  }

  int port() {
    return port;
  }

  long pid() {
    return process.pid();
  }

  /** Resident memory (VmRSS) in MiB. */
  double rssMib() throws IOException {
    return rssMib(process.pid());
  }

  static double rssMib(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
    }
    return 0;
  }

  String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  static String tail(String text) {
    return text.length() > 20_000 ? text.substring(text.length() - 20_000) : text;
  }

  /**
   * SIGTERM (the service drains and exits 0; the JDK writes its CDS/AOT archives), then SIGKILL.
   */
  int stop(Duration timeout) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS))
      process.destroyForcibly().waitFor();
    return process.exitValue();
  }

  @Override
  public void close() throws Exception {
    if (process.isAlive()) stop(Duration.ofSeconds(30));
    Files.deleteIfExists(log);
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
