package dev.agentexecutor.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The reference MCP test server, {@code @modelcontextprotocol/server-everything} from npm (pinned
 * in src/test/node/mcp-everything), run as a real process over Streamable HTTP ({@code /mcp}) or
 * SSE ({@code /sse}) on a free loopback port. {@link #available()} installs the package with {@code
 * npm ci} when it is missing and is false only when Node or npm are absent or cannot install.
 */
public final class McpEverythingServer implements AutoCloseable {
  private static final Path PROJECT = Path.of("src/test/node/mcp-everything");
  private static final Path ENTRY =
      PROJECT.resolve("node_modules/@modelcontextprotocol/server-everything/dist/index.js");

  private final Process process;
  private final int port;
  private final String path;
  private final Path log;

  private McpEverythingServer(Process process, int port, String path, Path log) {
    this.process = process;
    this.port = port;
    this.path = path;
    this.log = log;
  }

  /** Whether the server can run here (installing it first when needed). */
  public static synchronized boolean available() {
    try {
      if (run(List.of("node", "--version"), 30) != 0) return false;
      Path stamp = PROJECT.resolve("node_modules/.package-lock.json");
      Path lock = PROJECT.resolve("package-lock.json");
      if (Files.exists(ENTRY)
          && Files.exists(stamp)
          && Files.getLastModifiedTime(stamp).compareTo(Files.getLastModifiedTime(lock)) >= 0)
        return true;
      return run(List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"), 300) == 0
          && Files.exists(ENTRY);
    } catch (IOException e) {
      return false;
    }
  }

  /** The server over Streamable HTTP, at {@code http://127.0.0.1:{port}/mcp}. */
  public static McpEverythingServer streamableHttp() throws IOException {
    return start("streamableHttp", "/mcp");
  }

  /** The server over SSE, at {@code http://127.0.0.1:{port}/sse}. */
  public static McpEverythingServer sse() throws IOException {
    return start("sse", "/sse");
  }

  private static McpEverythingServer start(String transport, String path) throws IOException {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    Path log = Files.createTempFile("mcp-everything", ".log");
    ProcessBuilder builder =
        new ProcessBuilder("node", ENTRY.toAbsolutePath().toString(), transport)
            .directory(PROJECT.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().put("PORT", String.valueOf(port));
    McpEverythingServer server = new McpEverythingServer(builder.start(), port, path, log);
    server.awaitListening(Duration.ofSeconds(30));
    return server;
  }

  private void awaitListening(Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive())
        throw new IOException("the MCP server exited: " + Files.readString(log));
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        sleep();
      }
    }
    close();
    throw new IOException("the MCP server did not listen within " + timeout);
  }

  private static void sleep() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public String url() {
    return "http://127.0.0.1:" + port + path;
  }

  public int port() {
    return port;
  }

  public String log() throws IOException {
    return Files.readString(log);
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS))
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static int run(List<String> command, int timeoutSeconds) throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(PROJECT.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    try {
      Process process = builder.start();
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return -1;
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}
