package dev.agentexecutor.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A private redis-server or nats-server process on a free port, for tests that stop and restart
 * their server; the machine's shared servers are never touched. Its log is kept in a temporary
 * directory and printed when it fails to start or stop.
 */
public final class RedisOrNatsServer implements AutoCloseable {
  private final List<String> command;
  private final int port;
  private final Path log;
  private Process process;

  private RedisOrNatsServer(List<String> command, int port, Path log) {
    this.command = command;
    this.port = port;
    this.log = log;
  }

  /** Builds the command line from the chosen port and a scratch directory. */
  public interface CommandLine {
    List<String> of(int port, Path directory);
  }

  /** redis-server without persistence: a restart comes back empty, like a Dragonfly restart. */
  public static RedisOrNatsServer redis() {
    return start(
        "redis",
        (port, dir) ->
            List.of(
                "redis-server",
                "--port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                dir.toString()));
  }

  /** nats-server with JetStream, storing in its own directory (kept across restarts). */
  public static RedisOrNatsServer nats() {
    return start(
        "nats",
        (port, dir) ->
            List.of(
                "nats-server",
                "-a",
                "127.0.0.1",
                "-p",
                Integer.toString(port),
                "-js",
                "-sd",
                dir.toString()));
  }

  public String redisUri() {
    return "redis://127.0.0.1:" + port;
  }

  public String natsUrl() {
    return "nats://127.0.0.1:" + port;
  }

  private static RedisOrNatsServer start(String name, CommandLine commandLine) {
    try {
      Path directory = Files.createTempDirectory(name + "-");
      int port = freePort();
      var server =
          new RedisOrNatsServer(
              commandLine.of(port, directory), port, directory.resolve("server.log"));
      server.start();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return port;
  }

  /** Starts (again) on the same port and waits until it accepts connections. */
  public void start() {
    try {
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command.get(0), e);
    }
    awaitPort(true, Duration.ofSeconds(10));
  }

  /** Kills the server (like a crash) and waits until the port is closed. */
  public void stop() {
    if (process == null) return;
    process.destroyForcibly();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    awaitPort(false, Duration.ofSeconds(10));
  }

  @Override
  public void close() {
    stop();
  }

  private void awaitPort(boolean open, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (accepts() == open) return;
      sleep(50);
    }
    throw new IllegalStateException(
        command.get(0)
            + " on port "
            + port
            + (open ? " did not start" : " did not stop")
            + "; log:\n"
            + readLog());
  }

  private boolean accepts() {
    try (var socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private String readLog() {
    try {
      return Files.exists(log) ? Files.readString(log) : "(none)";
    } catch (IOException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }

  public static int freePort() {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
