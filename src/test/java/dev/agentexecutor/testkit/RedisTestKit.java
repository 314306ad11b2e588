package dev.agentexecutor.testkit;

import dev.agentexecutor.config.Settings;
import java.time.Duration;
import java.util.UUID;

/** Settings for tests on the machine's shared Redis, each with a key prefix of its own. */
public final class RedisTestKit {
  public static final String SHARED_URI = "redis://127.0.0.1:6379";

  private RedisTestKit() {}

  /** A unique prefix, so that tests never see each other's keys and channels. */
  public static String uniquePrefix() {
    return "test-" + UUID.randomUUID().toString().substring(0, 8) + ":";
  }

  public static Settings.Redis settings(String uri) {
    return new Settings.Redis(uri, uniquePrefix(), 10_000, Duration.ofMinutes(5));
  }

  public static Settings.Redis sharedSettings() {
    return settings(SHARED_URI);
  }
}
