package dev.agentexecutor.durable;

import static dev.agentexecutor.testkit.PostgresTestSchema.execute;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentexecutor.postgres.Migrations;
import dev.agentexecutor.postgres.PostgresMigrator;
import dev.agentexecutor.testkit.DurableEnvironment;
import dev.agentexecutor.testkit.NatsTestKit;
import dev.agentexecutor.testkit.PostgresTestSchema;
import dev.agentexecutor.testkit.RedisOrNatsServer;
import dev.agentexecutor.testkit.ServiceHarness;
import dev.agentexecutor.testkit.TestJobs;
import dev.agentexecutor.util.Json;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Backend outages on instances the test controls (a private redis-server; a PostgreSQL role the
 * test locks out), never the machine's shared servers: readiness follows the backends and no job is
 * lost.
 */
@Tag("integration")
class OutageTest {
  private final DurableEnvironment environment = new DurableEnvironment();
  private ServiceHarness service;

  @AfterEach
  void stop() throws Exception {
    if (service != null) service.close();
    environment.close();
  }

  private JsonNode ready() {
    return Json.parse(service.get("/ready").body());
  }

  @Test
  void aRedisOutageMakesTheServiceNotReadyUntilRedisIsBackWithoutARestart() throws Exception {
    try (RedisOrNatsServer redis = RedisOrNatsServer.redis()) {
      service = ServiceHarness.start(environment.with("REDIS_URL", redis.redisUri()).env());
      NatsTestKit.await(
          "ready", Duration.ofSeconds(20), () -> service.get("/ready").statusCode() == 200);
      assertThat(ready().path("services").path("redis").path("status").asText()).isEqualTo("up");

      redis.stop();
      NatsTestKit.await(
          "not ready while Redis is down",
          Duration.ofSeconds(10),
          () -> service.get("/ready").statusCode() == 503);
      assertThat(ready().path("services").path("redis").path("status").asText()).isEqualTo("down");
      assertThat(ready().path("services").path("postgresql").path("status").asText())
          .isEqualTo("up");

      redis.start();
      NatsTestKit.await(
          "ready again", Duration.ofSeconds(15), () -> service.get("/ready").statusCode() == 200);
      String jobId = TestJobs.newJobId();
      JsonNode result =
          Json.parse(service.postCloudEvent(TestJobs.threeStepScripted(jobId)).body());
      assertThat(result.path("type").asText()).isEqualTo("dev.my-platform.agent.completed");
    }
  }

  @Test
  void aJobArrivingDuringAPostgresOutageIsRetriedAndCompletesOnceTheDatabaseIsBack()
      throws Exception {
    String role = "ae_e2e_" + UUID.randomUUID().toString().substring(0, 8);
    execute("CREATE ROLE " + role + " LOGIN");
    try {
      PostgresMigrator.migrate(
          PostgresTestSchema.settings(
              environment.schema, PostgresTestSchema.USER, PostgresTestSchema.PORT),
          Migrations.fromClasspath());
      execute("GRANT USAGE ON SCHEMA " + environment.schema + " TO " + role);
      execute("GRANT ALL ON ALL TABLES IN SCHEMA " + environment.schema + " TO " + role);
      service =
          ServiceHarness.start(
              environment.with("POSTGRES_USER", role).with("MIGRATE_ON_START", "false").env());
      NatsTestKit.await(
          "ready", Duration.ofSeconds(20), () -> service.get("/ready").statusCode() == 200);

      execute("ALTER ROLE " + role + " NOLOGIN");
      execute(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '" + role + "'");
      NatsTestKit.await(
          "not ready while PostgreSQL refuses",
          Duration.ofSeconds(10),
          () -> service.get("/ready").statusCode() == 503);

      try (ResultListener results = new ResultListener(environment.subjectPrefix)) {
        String jobId = TestJobs.newJobId();
        results.publishJob(environment.jobSubject("outage"), TestJobs.threeStepScripted(jobId));
        Thread.sleep(3000);
        assertThat(results.forJob(jobId))
            .as("nothing is published while the job cannot run")
            .isEmpty();

        execute("ALTER ROLE " + role + " LOGIN");
        ResultListener.Received completed = results.awaitOne(jobId, Duration.ofSeconds(20));

        assertThat(completed.event().path("type").asText())
            .isEqualTo("dev.my-platform.agent.completed");
        var consumer =
            results
                .connection()
                .jetStreamManagement()
                .getConsumerInfo(environment.jobStream, environment.consumer());
        assertThat(consumer.getDelivered().getConsumerSequence())
            .as("redelivered after the outage")
            .isGreaterThan(1);
        NatsTestKit.await(
            "settled",
            Duration.ofSeconds(5),
            () ->
                results
                        .connection()
                        .jetStreamManagement()
                        .getConsumerInfo(environment.jobStream, environment.consumer())
                        .getNumAckPending()
                    == 0);
        assertThat(results.forJob(jobId)).hasSize(1);
      }
    } finally {
      execute(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '" + role + "'");
      execute("DROP OWNED BY " + role);
      execute("DROP ROLE " + role);
    }
  }
}
