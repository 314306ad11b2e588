package dev.agentexecutor.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentexecutor.util.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * LangGraph's own PostgreSQL saver ({@code @langchain/langgraph-checkpoint-postgres}, pinned in
 * src/test/node/langgraph-compat) for compatibility tests: the rows it wrote, captured in
 * src/test/resources/langgraph/saver-thread.json (inserted without Node), and, where Node and npm
 * work, the live saver writing and reading threads.
 */
public final class LangGraphSaver {
  private static final Path PROJECT = Path.of("src/test/node/langgraph-compat");
  private static final Base64.Decoder BASE64 = Base64.getMimeDecoder();

  private LangGraphSaver() {}

  /**
   * Inserts the captured rows of LangGraph's saver into {@code schema} as thread {@code threadId}.
   */
  public static void insertCapturedThread(String schema, String threadId) throws SQLException {
    JsonNode rows = captured();
    try (Connection connection = PostgresTestSchema.admin()) {
      for (JsonNode row : rows.path("checkpoints")) {
        insert(
            connection,
            "INSERT INTO "
                + schema
                + ".checkpoints (thread_id, checkpoint_ns, checkpoint_id,"
                + " parent_checkpoint_id, type, checkpoint, metadata) VALUES (?, ?, ?, ?, ?, ?::jsonb, ?::jsonb)",
            threadId,
            row.path("checkpoint_ns").asText(),
            row.path("checkpoint_id").asText(),
            text(row, "parent_checkpoint_id"),
            text(row, "type"),
            Json.write(row.get("checkpoint")),
            Json.write(row.get("metadata")));
      }
      for (JsonNode row : rows.path("blobs")) {
        insert(
            connection,
            "INSERT INTO "
                + schema
                + ".checkpoint_blobs (thread_id, checkpoint_ns, channel, version, type, blob)"
                + " VALUES (?, ?, ?, ?, ?, ?)",
            threadId,
            row.path("checkpoint_ns").asText(),
            row.path("channel").asText(),
            row.path("version").asText(),
            row.path("type").asText(),
            bytes(row, "blob"));
      }
      for (JsonNode row : rows.path("writes")) {
        insert(
            connection,
            "INSERT INTO "
                + schema
                + ".checkpoint_writes (thread_id, checkpoint_ns, checkpoint_id, task_id,"
                + " idx, channel, type, blob, task_path) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            threadId,
            row.path("checkpoint_ns").asText(),
            row.path("checkpoint_id").asText(),
            row.path("task_id").asText(),
            row.path("idx").asInt(),
            row.path("channel").asText(),
            text(row, "type"),
            bytes(row, "blob"),
            row.path("task_path").asText());
      }
    }
  }

  /** Which package version wrote the captured rows. */
  public static String capturedWriter() {
    return captured().path("written_by").asText();
  }

  /**
   * Installs the pinned packages when they are missing or stale (as scripts/test-platform.sh does
   * for the platform tests); false when Node or npm cannot, e.g. offline without a cache.
   */
  public static boolean installed() {
    try {
      if (run(List.of("node", "--version"), 30).exit() != 0) return false;
      Path stamp = PROJECT.resolve("node_modules/.package-lock.json");
      Path lock = PROJECT.resolve("package-lock.json");
      if (Files.exists(stamp)
          && Files.getLastModifiedTime(stamp).compareTo(Files.getLastModifiedTime(lock)) >= 0)
        return true;
      return run(List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"), 300).exit()
          == 0;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Runs LangGraph's saver: a one-node graph that writes thread {@code threadId} into {@code
   * schema}.
   */
  public static JsonNode writeThread(String schema, String threadId) {
    return script("write-thread.mjs", schema, threadId);
  }

  /**
   * What LangGraph's saver reads as the latest checkpoint of {@code threadId}: {ok, channels} or
   * {ok: false, error}.
   */
  public static JsonNode readThread(String schema, String threadId) {
    return script("read-thread.mjs", schema, threadId);
  }

  private static JsonNode script(String script, String schema, String threadId) {
    try {
      Result result = run(List.of("node", script, schema, threadId), 120);
      if (result.exit() != 0)
        throw new IllegalStateException(script + " failed: " + result.output());
      List<String> lines = result.output().lines().toList();
      return Json.parse(lines.get(lines.size() - 1));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private record Result(int exit, String output) {}

  private static Result run(List<String> command, int timeoutSeconds) throws IOException {
    Path output = Files.createTempFile("langgraph-saver", ".log");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(PROJECT.toFile())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile());
    builder
        .environment()
        .put(
            "DATABASE_URL",
            "postgres://"
                + PostgresTestSchema.USER
                + (PostgresTestSchema.PASSWORD.isEmpty() ? "" : ":" + PostgresTestSchema.PASSWORD)
                + "@"
                + PostgresTestSchema.HOST
                + ":"
                + PostgresTestSchema.PORT
                + "/"
                + PostgresTestSchema.DATABASE);
    try {
      Process process = builder.start();
      boolean finished = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
      if (!finished) process.destroyForcibly().waitFor();
      return new Result(finished ? process.exitValue() : 124, Files.readString(output));
    } catch (IOException notInstalled) {
      return new Result(127, String.valueOf(notInstalled.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(130, "interrupted");
    } finally {
      Files.deleteIfExists(output);
    }
  }

  private static JsonNode captured() {
    try (InputStream in =
        LangGraphSaver.class.getResourceAsStream("/langgraph/saver-thread.json")) {
      return Json.parse(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String text(JsonNode row, String field) {
    JsonNode value = row.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  private static byte[] bytes(JsonNode row, String field) {
    String value = text(row, field);
    return value == null ? null : BASE64.decode(value);
  }

  private static void insert(Connection connection, String sql, Object... values)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < values.length; i++) statement.setObject(i + 1, values[i]);
      statement.executeUpdate();
    }
  }
}
