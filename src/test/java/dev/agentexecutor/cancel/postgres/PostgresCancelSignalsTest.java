package dev.agentexecutor.cancel.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentexecutor.cancel.CancelSignals.Request;
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
 * request and the sender learns whether one of them stopped the job; listeners of another schema
 * hear nothing; a payload that is no request is dropped; a listener whose connection is killed
 * listens again.
 */
class PostgresCancelSignalsTest {
  @RegisterExtension static final PostgresTestSchema PG = new PostgresTestSchema("cancel");

  private static final Duration WAIT = Duration.ofSeconds(10);

  /** A replica that hears requests and says it stopped the jobs named in {@code runsHere}. */
  private PostgresCancelSignals listening(
      PostgresDatabase database, List<Request> heard, String... runsHere) throws Exception {
    PostgresCancelSignals signals = PG.closeAfterAll(PostgresCancelSignals.start(database));
    signals.subscribe(
        request -> {
          heard.add(request);
          return List.of(runsHere).contains(request.jobId());
        });
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
    List<Request> first = new CopyOnWriteArrayList<>();
    List<Request> second = new CopyOnWriteArrayList<>();
    List<Request> elsewhere = new CopyOnWriteArrayList<>();
    PostgresCancelSignals a = listening(database, first);
    listening(PG.database(), second, "job-1");
    listening(other, elsewhere, "job-1", "job-2");

    boolean stopped = a.request(new Request("job-1", "acme"), WAIT);
    boolean nobody = a.request(new Request("job-2", null), Duration.ofMillis(300));

    assertThat(stopped).as("the second replica runs job-1 and says so").isTrue();
    assertThat(nobody).as("no replica of this schema runs job-2").isFalse();
    NatsTestKit.await("both replicas", WAIT, () -> first.size() == 2 && second.size() == 2);
    assertThat(first).containsExactly(new Request("job-1", "acme"), new Request("job-2", null));
    assertThat(second).containsExactlyElementsOf(first);
    assertThat(elsewhere).isEmpty();
  }

  @Test
  void aPayloadThatIsNoRequestIsDroppedAndABadJobIdIsNeverSent() throws Exception {
    PostgresDatabase database = PG.database();
    List<Request> heard = new CopyOnWriteArrayList<>();
    PostgresCancelSignals signals = listening(database, heard);
    for (String payload :
        List.of(
            "'; DROP TABLE jobs; --",
            "{\"request\": \"r1\", \"job_id\": \"a b\"}",
            "{\"request\": \"r2\", \"job_id\": \"job-3\", \"tenant\": \"no/tenant\"}",
            "[1, 2]",
            "{\"answer\": 42}")) {
      try (Connection admin = PostgresTestSchema.admin();
          PreparedStatement notify = admin.prepareStatement("SELECT pg_notify(?, ?)")) {
        notify.setString(1, PostgresCancelSignals.channel(database.schema()));
        notify.setString(2, payload);
        notify.execute();
      }
    }
    signals.request(new Request("job-after", null), Duration.ofMillis(100));

    NatsTestKit.await("the valid request", WAIT, () -> !heard.isEmpty());
    assertThat(heard).containsExactly(new Request("job-after", null));
    assertThatThrownBy(() -> signals.request(new Request("bad id", null), WAIT))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aListenerWhoseConnectionIsKilledListensAgain() throws Exception {
    PostgresDatabase database = PG.database();
    List<Request> heard = new CopyOnWriteArrayList<>();
    PostgresCancelSignals signals = listening(database, heard, "job-2");

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
    assertThat(signals.request(new Request("job-2", null), WAIT)).isTrue();
    assertThat(heard).containsExactly(new Request("job-2", null));
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
