package dev.agentexecutor.cancel.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentexecutor.postgres.PostgresDatabase;
import dev.agentexecutor.testkit.NatsTestKit;
import dev.agentexecutor.testkit.PostgresTestSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Cancel requests through LISTEN/NOTIFY on a real PostgreSQL: every listener of the schema hears a
 * request, listeners of another schema do not, a payload that is no job id is dropped, and a
 * listener whose connection is killed listens again.
 */
class PostgresCancelSignalsTest {
  @RegisterExtension static final PostgresTestSchema PG = new PostgresTestSchema("cancel");

  private static final Duration WAIT = Duration.ofSeconds(10);

  private PostgresCancelSignals listening(PostgresDatabase database, List<String> heard)
      throws Exception {
    PostgresCancelSignals signals = PG.closeAfterAll(PostgresCancelSignals.start(database));
    signals.subscribe(heard::add);
    NatsTestKit.await("the listener", WAIT, signals::listening);
    return signals;
  }

  @Test
  void aRequestReachesEveryReplicaOfTheSchemaAndNoOther() throws Exception {
    PostgresDatabase database = PG.database();
    String otherSchema = PG.newSchemaName("other");
    PostgresTestSchema.execute("CREATE SCHEMA " + otherSchema);
    PostgresDatabase other =
        PG.closeAfterAll(
            PostgresDatabase.connect(
                PostgresTestSchema.settings(
                    otherSchema, PostgresTestSchema.USER, PostgresTestSchema.PORT)));
    List<String> first = new CopyOnWriteArrayList<>();
    List<String> second = new CopyOnWriteArrayList<>();
    List<String> elsewhere = new CopyOnWriteArrayList<>();
    PostgresCancelSignals a = listening(database, first);
    listening(PG.database(), second);
    listening(other, elsewhere);

    a.publish("job-1");

    NatsTestKit.await("both replicas", WAIT, () -> first.size() == 1 && second.size() == 1);
    assertThat(first).containsExactly("job-1");
    assertThat(second).containsExactly("job-1");
    Thread.sleep(300);
    assertThat(elsewhere).isEmpty();
  }

  @Test
  void aPayloadThatIsNoJobIdIsDroppedAndNeverSent() throws Exception {
    PostgresDatabase database = PG.database();
    List<String> heard = new CopyOnWriteArrayList<>();
    PostgresCancelSignals signals = listening(database, heard);
    try (Connection admin = PostgresTestSchema.admin();
        PreparedStatement notify = admin.prepareStatement("SELECT pg_notify(?, ?)")) {
      notify.setString(1, PostgresCancelSignals.channel(database.schema()));
      notify.setString(2, "'; DROP TABLE jobs; --");
      notify.execute();
    }
    signals.publish("job-after");

    NatsTestKit.await("the valid request", WAIT, () -> !heard.isEmpty());
    assertThat(heard).containsExactly("job-after");
    assertThatThrownBy(() -> signals.publish("bad id"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aListenerWhoseConnectionIsKilledListensAgain() throws Exception {
    PostgresDatabase database = PG.database();
    List<String> heard = new CopyOnWriteArrayList<>();
    PostgresCancelSignals signals = listening(database, heard);

    String listenerPid =
        "SELECT pid::text FROM pg_stat_activity WHERE application_name ="
            + " 'agent-executor-cancel' AND query = 'LISTEN "
            + PostgresCancelSignals.channel(database.schema())
            + "'";
    String before = (String) PostgresTestSchema.queryValue(listenerPid);
    assertThat(before).isNotNull();

    PostgresTestSchema.execute("SELECT pg_terminate_backend(" + before + ")");
    NatsTestKit.await(
        "a new listening session",
        WAIT,
        () -> {
          Object now = PostgresTestSchema.queryValue(listenerPid);
          return now != null && !now.equals(before) && signals.listening();
        });
    signals.publish("job-2");

    NatsTestKit.await("the request after the reconnect", WAIT, () -> !heard.isEmpty());
    assertThat(heard).containsExactly("job-2");
  }

  @Test
  void aLongSchemaNameGivesAChannelThatIsAnIdentifier() {
    String schema = "s".repeat(63);
    String channel = PostgresCancelSignals.channel(schema);
    assertThat(channel).hasSizeLessThanOrEqualTo(63).startsWith("agent_cancel_");
    assertThat(channel).isNotEqualTo(PostgresCancelSignals.channel("t".repeat(63)));
    assertThat(PostgresCancelSignals.channel("agent_executor"))
        .isEqualTo("agent_cancel_agent_executor");
  }
}
