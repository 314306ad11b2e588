package dev.agentexecutor.core;

import java.util.regex.Pattern;

/**
 * Tenant names: who a job belongs to. HTTP jobs get the tenant of their API token, NATS jobs the
 * CloudEvent's {@code tenant} extension attribute; both are {@value #DEFAULT} when absent.
 */
public final class Tenants {
  public static final String DEFAULT = "default";

  /** The CloudEvent extension attribute carrying a NATS job's tenant. */
  public static final String ATTRIBUTE = "tenant";

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private Tenants() {}

  /** Letters, digits, '.', '_' and '-', starting with a letter or digit, at most 64 characters. */
  public static boolean isValid(String tenant) {
    return tenant != null && NAME.matcher(tenant).matches();
  }

  /** The tenant, or {@value #DEFAULT} when none was given. */
  public static String orDefault(String tenant) {
    return tenant == null ? DEFAULT : tenant;
  }
}
