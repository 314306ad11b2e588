package dev.agentexecutor.ingress.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentexecutor.store.JobStatus;
import dev.agentexecutor.testkit.ServiceHarness;
import dev.agentexecutor.testkit.TestJobs;
import dev.agentexecutor.util.Json;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * While the service drains for shutdown its job routes refuse work with 503 and Retry-After, the
 * other routes keep answering, and the job already running finishes before anything closes.
 */
class DrainingIntakeTest {
  @Test
  void jobRoutesAnswer503WhileTheRunningJobFinishes() throws Exception {
    try (ServiceHarness service = ServiceHarness.start(Map.of())) {
      String running = TestJobs.newJobId();
      assertThat(service.post("/invoke", TestJobs.slowScripted(running, 8, 200).toString()))
          .extracting(HttpResponse::statusCode)
          .isEqualTo(200);
      service.awaitState(running, "running", Duration.ofSeconds(10));
      Thread closing = Thread.ofVirtual().start(() -> service.app().close());
      awaitNotReady(service);

      String refused = TestJobs.newJobId();
      HttpResponse<String> invoke =
          service.post("/invoke", TestJobs.threeStepScripted(refused).toString());
      HttpResponse<String> cloudEvent = service.postCloudEvent(TestJobs.threeStepScripted(refused));
      HttpResponse<String> state = service.get("/state/" + running);
      HttpResponse<String> health = service.get("/health");

      assertThat(invoke.statusCode()).isEqualTo(503);
      assertThat(invoke.headers().firstValue("Retry-After")).isPresent();
      assertThat(Json.parse(invoke.body()).path("error").asText()).isEqualTo("shutting_down");
      assertThat(cloudEvent.statusCode()).isEqualTo(503);
      assertThat(cloudEvent.headers().firstValue("Retry-After")).isPresent();
      assertThat(state.statusCode()).isEqualTo(200);
      assertThat(Json.parse(state.body()).path("status").asText()).isEqualTo("running");
      assertThat(health.statusCode()).isEqualTo(200);

      closing.join(Duration.ofSeconds(20));
      assertThat(closing.isAlive()).isFalse();
      var backends = service.app().backends();
      assertThat(backends.jobs().find(running).orElseThrow().status())
          .isEqualTo(JobStatus.COMPLETED);
      assertThat(backends.checkpointer().latest(refused, "")).isEmpty();
    }
  }

  private static void awaitNotReady(ServiceHarness service) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (service.get("/ready").statusCode() != 503) {
      assertThat(System.nanoTime()).as("the service started draining").isLessThan(deadline);
      Thread.sleep(10);
    }
  }
}
