package dev.agentexecutor.runner;

import dev.agentexecutor.core.Tenants;

/**
 * Who makes a client API request: a tenant authenticated by its API token, who sees only its own
 * jobs, or anyone (no API_TOKENS configured), who sees every job and creates the default tenant's.
 */
public record Caller(String tenant, boolean restricted) {
  private static final Caller ANYONE = new Caller(Tenants.DEFAULT, false);

  /** Open mode: no API tokens are configured. */
  public static Caller anyone() {
    return ANYONE;
  }

  public static Caller tenant(String tenant) {
    return new Caller(tenant, true);
  }

  /** Whether this caller may see a job owned by {@code owner}. */
  public boolean sees(String owner) {
    return !restricted || tenant.equals(owner);
  }
}
