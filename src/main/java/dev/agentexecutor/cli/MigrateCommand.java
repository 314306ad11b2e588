package dev.agentexecutor.cli;

import dev.agentexecutor.config.Settings;
import dev.agentexecutor.core.problem.BackendUnavailableException;
import dev.agentexecutor.postgres.Migration;
import dev.agentexecutor.postgres.MigrationException;
import dev.agentexecutor.postgres.MigrationStatus;
import dev.agentexecutor.postgres.Migrations;
import dev.agentexecutor.postgres.PostgresDatabase;
import dev.agentexecutor.postgres.PostgresMigrator;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** migrate: the jar's twin of scripts/ci/run-migrations.sh (same files, record table and lock). */
@Command(
    name = "migrate",
    mixinStandardHelpOptions = true,
    description =
        "Apply (up), revert (down N) or list (status) the SQL migrations in POSTGRES_SCHEMA, "
            + "using DATABASE_URL or POSTGRES_* like the service.%n"
            + "Exit codes: 0 ok, 1 a migration failed, 2 bad configuration or usage, 3 database unreachable.")
public final class MigrateCommand implements Callable<Integer> {
  @Parameters(
      index = "0",
      arity = "0..1",
      defaultValue = "up",
      paramLabel = "ACTION",
      description = "up (default), down or status.")
  String action;

  @Parameters(
      index = "1",
      arity = "0..1",
      defaultValue = "1",
      paramLabel = "N",
      description = "With down: how many versions to revert (default 1).")
  int count;

  @Option(
      names = "--dir",
      paramLabel = "DIR",
      description = "Read migrations from this directory instead of the ones packaged in the jar.")
  Path directory;

  @Override
  public Integer call() {
    Optional<Settings> loaded = CommandSettings.load(false);
    if (loaded.isEmpty()) return CommandSettings.BAD_CONFIGURATION;
    Settings settings = loaded.get();
    if (settings.postgres().isEmpty()) {
      System.err.println(
          "migrate needs PostgreSQL: set DATABASE_URL or POSTGRES_HOST (and POSTGRES_DB, POSTGRES_USER, POSTGRES_PASSWORD)");
      return 2;
    }
    Settings.Postgres pg = settings.postgres().get();
    try (PostgresDatabase database = PostgresDatabase.connect(pg)) {
      Migrations migrations =
          directory == null ? Migrations.fromClasspath() : Migrations.fromDirectory(directory);
      PostgresMigrator migrator =
          new PostgresMigrator(database.dataSource(), pg.schema(), migrations);
      switch (action) {
        case "up" -> print("applied", migrator.up());
        case "down" -> print("reverted", migrator.down(count));
        case "status" -> status(migrator.status());
        default -> {
          System.err.println("unknown action '" + action + "': use up, down [N] or status");
          return 2;
        }
      }
      return 0;
    } catch (BackendUnavailableException e) {
      System.err.println(e.getMessage());
      return 3;
    } catch (MigrationException e) {
      System.err.println("migration failed: " + e.getMessage());
      return 1;
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      return 2;
    }
  }

  private static void print(String verb, List<Migration> migrations) {
    if (migrations.isEmpty()) System.out.println("nothing to do");
    for (Migration m : migrations) System.out.println(verb + " " + m.fileName());
  }

  private static void status(List<MigrationStatus> statuses) {
    for (MigrationStatus s : statuses) {
      System.out.printf(
          "%-6s %-40s %s%s%n",
          s.version(),
          s.name(),
          s.applied() ? "applied " + s.appliedAt() : "pending",
          s.changed() ? " (file changed since)" : "");
    }
  }
}
