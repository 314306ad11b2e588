package dev.agentexecutor.testkit;

import io.nats.client.Connection;
import io.nats.client.Nats;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The service's environment for a test against real PostgreSQL, Redis and NATS, with names of its
 * own: a fresh schema, a Redis key prefix, NATS streams, subjects and consumer. Closing it drops
 * the schema and the streams.
 */
public final class DurableEnvironment implements AutoCloseable {
  public final String id = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  public final String schema = "t_e2e_" + id;
  public final String keyPrefix = "test:" + id + ":";
  public final String jobStream = "T_" + id + "_JOBS";
  public final String resultStream = "T_" + id + "_STATUS";
  public final String subjectPrefix = "t" + id;
  private final Map<String, String> env = new HashMap<>();

  public DurableEnvironment() {
    env.put("POSTGRES_HOST", PostgresTestSchema.HOST);
    env.put("POSTGRES_PORT", Integer.toString(PostgresTestSchema.PORT));
    env.put("POSTGRES_DB", PostgresTestSchema.DATABASE);
    env.put("POSTGRES_USER", PostgresTestSchema.USER);
    env.put("POSTGRES_SCHEMA", schema);
    env.put("REDIS_URL", RedisTestKit.SHARED_URI);
    env.put("STREAM_KEY_PREFIX", keyPrefix);
    env.put("NATS_URL", NatsTestKit.SHARED_URL);
    env.put("NATS_STREAM_NAME", jobStream);
    env.put("NATS_SUBJECT", subjectPrefix + ".execute.*");
    env.put("NATS_CONSUMER_GROUP", "workers-" + id);
    env.put("NATS_RESULT_STREAM_NAME", resultStream);
    env.put("NATS_RESULT_SUBJECT_PREFIX", subjectPrefix + ".status");
    env.put("NATS_ACK_WAIT_SECONDS", "3");
    env.put("NATS_NAK_DELAY_SECONDS", "1");
    env.put("DRAIN_TIMEOUT_SECONDS", "5");
    env.put("LLM_PROVIDER", "scripted");
  }

  /** Sets (or overrides) a variable. */
  public DurableEnvironment with(String name, String value) {
    env.put(name, value);
    return this;
  }

  public Map<String, String> env() {
    return Map.copyOf(env);
  }

  public String jobSubject(String suffix) {
    return subjectPrefix + ".execute." + suffix;
  }

  public String completedSubject() {
    return subjectPrefix + ".status.completed";
  }

  public String failedSubject() {
    return subjectPrefix + ".status.failed";
  }

  public String interruptedSubject() {
    return subjectPrefix + ".status.interrupted";
  }

  public String consumer() {
    return env.get("NATS_CONSUMER_GROUP");
  }

  public String redisChannel(String threadId) {
    return keyPrefix + "langgraph:stream:" + threadId;
  }

  @Override
  public void close() throws Exception {
    try {
      PostgresTestSchema.execute("drop schema if exists " + schema + " cascade");
    } catch (SQLException e) {
      System.err.println("could not drop " + schema + ": " + e.getMessage());
    }
    try (Connection nats = Nats.connect(NatsTestKit.SHARED_URL)) {
      for (String stream : new String[] {jobStream, resultStream}) {
        try {
          nats.jetStreamManagement().deleteStream(stream);
        } catch (Exception e) {
          // never created
        }
      }
    }
  }
}
