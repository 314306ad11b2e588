package dev.agentexecutor.bench;

import dev.agentexecutor.testkit.DurableEnvironment;
import dev.agentexecutor.testkit.RedisTestKit;
import io.lettuce.core.KeyScanArgs;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.Map;

/**
 * The service's own schema, Redis key prefix and NATS streams on the machine's servers (the tests'
 * {@link DurableEnvironment}), sized for load; closing it also removes the Redis keys.
 */
final class BenchEnvironment implements AutoCloseable {
  final DurableEnvironment names =
      new DurableEnvironment()
          .with("MAX_CONCURRENT_JOBS", "64")
          .with("NATS_ACK_WAIT_SECONDS", "30")
          .with("STREAM_TTL_SECONDS", "900");

  Map<String, String> env() {
    return names.env();
  }

  @Override
  public void close() throws Exception {
    deleteRedisKeys(names.keyPrefix);
    names.close();
  }

  static void deleteRedisKeys(String prefix) {
    RedisClient client = RedisClient.create(RedisTestKit.SHARED_URI);
    try (StatefulRedisConnection<String, String> redis = client.connect()) {
      ScanCursor cursor = ScanCursor.INITIAL;
      do {
        KeyScanCursor<String> page =
            redis.sync().scan(cursor, KeyScanArgs.Builder.matches(prefix + "*").limit(1000));
        if (!page.getKeys().isEmpty()) redis.sync().unlink(page.getKeys().toArray(String[]::new));
        cursor = page;
      } while (!cursor.isFinished());
    } finally {
      client.shutdown();
    }
  }
}
