package dev.agentexecutor.postgres;

import java.time.Instant;

/**
 * Whether one migration is applied: {@code appliedAt} is null when pending; {@code changed} says
 * the file differs from what was applied; {@code migration} is null when only the record exists.
 */
public record MigrationStatus(
    String version, String name, Migration migration, Instant appliedAt, boolean changed) {
  public boolean applied() {
    return appliedAt != null;
  }
}
