package dev.agentexecutor.ingress.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentexecutor.testkit.ServiceHarness;
import dev.agentexecutor.testkit.TestJobs;
import dev.agentexecutor.util.Json;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * GET /jobs over real HTTP: the caller's jobs newest first with status, times, duration, usage and
 * error; a job that runs now is listed before it has a record; filters by status and thread; a
 * cursor pages through without gaps or repeats; another tenant's jobs are never listed.
 */
class JobListEndToEndTest {
  private static final String ACME = "acme-token-0123456789abcdef";
  private static final String GLOBEX = "globex-token-0123456789abcdef";
  private static ServiceHarness service;

  @BeforeAll
  static void start() {
    service = ServiceHarness.start(Map.of("API_TOKENS", ACME + "=acme, " + GLOBEX + "=globex"));
  }

  @AfterAll
  static void stop() {
    service.close();
  }

  private static String[] bearer(String token) {
    return new String[] {"Authorization", "Bearer " + token};
  }

  private static JsonNode list(String token, String query) {
    HttpResponse<String> response = service.get("/jobs" + query, bearer(token));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return Json.parse(response.body());
  }

  private static List<String> ids(JsonNode page) {
    List<String> ids = new ArrayList<>();
    page.path("jobs").forEach(job -> ids.add(job.path("job_id").asText()));
    return ids;
  }

  private static JsonNode row(JsonNode page, String jobId) {
    for (JsonNode job : page.path("jobs"))
      if (job.path("job_id").asText().equals(jobId)) return job;
    throw new AssertionError("job " + jobId + " not listed: " + page);
  }

  /** Runs a three-step job to its end through POST / for the token's tenant. */
  private static String completed(String token) {
    String jobId = TestJobs.newJobId();
    HttpResponse<String> response =
        service.postCloudEvent(TestJobs.threeStepScripted(jobId), bearer(token));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return jobId;
  }

  private static String started(String token, int steps, int delayMs) {
    String jobId = TestJobs.newJobId();
    HttpResponse<String> response =
        service.post(
            "/invoke",
            TestJobs.slowScripted(jobId, steps, delayMs).toString(),
            "Authorization",
            "Bearer " + token,
            "Content-Type",
            "application/json");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return jobId;
  }

  private static void awaitStatus(String token, String jobId, String status) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode state = Json.parse(service.get("/state/" + jobId, bearer(token)).body());
      if (status.equals(state.path("status").asText())) return;
      Thread.sleep(20);
    }
    throw new AssertionError("job " + jobId + " did not become " + status);
  }

  @Test
  void listsTheCallersJobsNewestFirstWithTimesUsageAndErrors() throws Exception {
    String first = completed(ACME);
    String second = completed(ACME);
    String cancelled = started(ACME, 20, 200);
    awaitStatus(ACME, cancelled, "running");
    assertThat(service.post("/cancel/" + cancelled, "", bearer(ACME)).statusCode()).isEqualTo(202);
    awaitStatus(ACME, cancelled, "cancelled");

    JsonNode page = list(ACME, "");
    List<String> ids = ids(page);
    assertThat(ids).containsSubsequence(cancelled, second, first);

    JsonNode done = row(page, first);
    assertThat(done.path("status").asText()).isEqualTo("completed");
    assertThat(done.path("thread_id").asText()).isEqualTo(first);
    assertThat(done.path("duration_ms").isIntegralNumber()).as(done.toString()).isTrue();
    assertThat(done.path("duration_ms").asLong()).isNotNegative();
    assertThat(done.path("usage").path("input_tokens").asLong()).isPositive();
    assertThat(done.path("usage").path("output_tokens").asLong()).isPositive();
    assertThat(done.path("usage").has("cached_tokens")).isTrue();
    assertThat(done.path("error").isNull()).isTrue();
    assertThat(java.time.Instant.parse(done.path("created_at").asText()))
        .isBeforeOrEqualTo(java.time.Instant.parse(done.path("updated_at").asText()));

    JsonNode stopped = row(page, cancelled);
    assertThat(stopped.path("status").asText()).isEqualTo("cancelled");
    assertThat(stopped.path("error").path("message").asText()).containsIgnoringCase("cancel");
    assertThat(stopped.path("error").path("type").asText()).isEqualTo("Cancelled");
    assertThat(page.path("next_cursor").isNull()).isTrue();
  }

  @Test
  void aJobRunningNowIsListedAsRunningBeforeItHasARecord() throws Exception {
    String jobId = started(ACME, 20, 200);
    awaitStatus(ACME, jobId, "running");

    JsonNode running = row(list(ACME, "?status=running"), jobId);
    assertThat(running.path("status").asText()).isEqualTo("running");
    assertThat(running.path("duration_ms").isNull()).isTrue();
    assertThat(running.path("error").isNull()).isTrue();
    assertThat(ids(list(ACME, "?status=completed,failed,cancelled"))).doesNotContain(jobId);
    assertThat(ids(list(GLOBEX, ""))).doesNotContain(jobId);

    service.post("/cancel/" + jobId, "", bearer(ACME));
    awaitStatus(ACME, jobId, "cancelled");
    assertThat(ids(list(ACME, "?status=running"))).doesNotContain(jobId);
    assertThat(ids(list(ACME, "?status=cancelled"))).contains(jobId);
  }

  @Test
  void anotherTenantsJobsAreNeverListed() {
    String ours = completed(ACME);
    String theirs = completed(GLOBEX);

    assertThat(ids(list(ACME, "?limit=200"))).contains(ours).doesNotContain(theirs);
    assertThat(ids(list(GLOBEX, "?limit=200"))).contains(theirs).doesNotContain(ours);
    assertThat(ids(list(GLOBEX, "?thread_id=" + ours))).isEmpty();
    assertThat(service.get("/jobs", "Authorization", "Bearer not-a-token-0123456789").statusCode())
        .isEqualTo(401);
  }

  @Test
  void filtersByStatusAndThreadUnderBothPrefixes() {
    String jobId = completed(ACME);

    assertThat(ids(list(ACME, "?thread_id=" + jobId))).containsExactly(jobId);
    assertThat(ids(list(ACME, "?status=completed"))).contains(jobId);
    assertThat(ids(list(ACME, "?status=failed&status=cancelled"))).doesNotContain(jobId);
    HttpResponse<String> prefixed =
        service.get("/deepagents-runtime/jobs?thread_id=" + jobId, bearer(ACME));
    assertThat(ids(Json.parse(prefixed.body()))).containsExactly(jobId);
  }

  @Test
  void theCursorPagesThroughEveryJobOnceInOrder() {
    for (int i = 0; i < 5; i++) completed(GLOBEX);
    List<String> all = ids(list(GLOBEX, "?limit=200"));
    assertThat(all.size()).isGreaterThanOrEqualTo(5);

    List<String> paged = new ArrayList<>();
    String query = "?limit=2";
    for (int page = 0; page < 200; page++) {
      JsonNode body = list(GLOBEX, query);
      assertThat(body.path("jobs").size()).isLessThanOrEqualTo(2);
      paged.addAll(ids(body));
      if (body.path("next_cursor").isNull()) break;
      query =
          "?limit=2&cursor="
              + URLEncoder.encode(body.path("next_cursor").asText(), StandardCharsets.UTF_8);
    }

    assertThat(paged).containsExactlyElementsOf(all);
  }

  @Test
  void badQueriesAre400WithAProblemPerParameter() {
    HttpResponse<String> response =
        service.get("/jobs?status=done&limit=0&cursor=nope&thread_id=a%20b", bearer(ACME));

    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode body = Json.parse(response.body());
    assertThat(body.path("error").asText()).isEqualTo("invalid_request");
    List<String> codes = new ArrayList<>();
    body.path("problems")
        .forEach(p -> codes.add(p.path("code").asText() + " " + p.path("path").asText()));
    assertThat(codes)
        .containsExactlyInAnyOrder(
            "QUERY_STATUS $.status",
            "QUERY_LIMIT $.limit",
            "QUERY_CURSOR $.cursor",
            "QUERY_THREAD_ID $.thread_id");
  }
}
