package dev.agentexecutor.postgres;

import dev.agentexecutor.testkit.PostgresTestSchema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Runs scripts/ci/run-migrations.sh as a child process, as the init container does. */
final class MigrationScript {
  static final Path SCRIPT = Path.of("scripts/ci/run-migrations.sh").toAbsolutePath();
  static final Path MIGRATIONS = Path.of("migrations").toAbsolutePath();

  /** Exit code and everything the script printed (stdout and stderr together). */
  record Result(int exitCode, String output) {}

  private MigrationScript() {}

  /** Runs against {@code schema} on the test server with the repository's migrations. */
  static Result run(String schema, String... arguments) {
    return run(PostgresTestSchema.scriptEnvironment(schema), arguments);
  }

  static Result run(Map<String, String> environment, String... arguments) {
    return start(environment, arguments).await();
  }

  static Running start(Map<String, String> environment, String... arguments) {
    ProcessBuilder builder = new ProcessBuilder(command(arguments)).redirectErrorStream(true);
    builder
        .environment()
        .keySet()
        .removeIf(
            name ->
                name.startsWith("POSTGRES_")
                    || name.startsWith("PG")
                    || name.equals("DATABASE_URL"));
    builder.environment().put("MIGRATION_DIR", MIGRATIONS.toString());
    builder.environment().putAll(environment);
    try {
      return new Running(builder.start());
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + SCRIPT, e);
    }
  }

  private static List<String> command(String... arguments) {
    return Stream.concat(Stream.of("bash", SCRIPT.toString()), Arrays.stream(arguments)).toList();
  }

  /** A script run in progress. */
  record Running(Process process) {
    Result await() {
      try {
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS))
          throw new IllegalStateException("script did not end");
        return new Result(process.exitValue(), output);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
