package dev.agentexecutor.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.agentexecutor.core.Tenants;
import dev.agentexecutor.core.problem.Problem;
import dev.agentexecutor.testkit.CloudEvents;
import dev.agentexecutor.testkit.TestJobs;
import dev.agentexecutor.util.Json;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A job CloudEvent's {@code tenant} extension attribute: read in both modes, validated, default
 * when absent.
 */
class TenantAttributeTest {
  private static final Map<String, String> STRUCTURED =
      Map.of("content-type", "application/cloudevents+json");

  private static byte[] structured(Object tenant) {
    var event = CloudEvents.structured(TestJobs.threeStepScripted("job-1"));
    if (tenant instanceof String s) event.put("tenant", s);
    if (tenant instanceof Integer i) event.put("tenant", i);
    return event.toString().getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void theTenantComesFromTheStructuredEventOrTheBinaryHeader() {
    assertThat(JobParser.fromCloudEvent(STRUCTURED, structured("acme"), 1 << 20).tenant())
        .isEqualTo("acme");
    assertThat(JobParser.fromCloudEvent(STRUCTURED, structured(null), 1 << 20).tenant())
        .isEqualTo(Tenants.DEFAULT);

    Map<String, String> headers = new HashMap<>();
    String[] binary = CloudEvents.binaryHeaders("ce-tenant", "globex.eu-1");
    for (int i = 0; i < binary.length; i += 2) headers.put(binary[i], binary[i + 1]);
    byte[] body = TestJobs.threeStepScripted("job-2").toString().getBytes(StandardCharsets.UTF_8);
    assertThat(JobParser.fromCloudEvent(headers, body, 1 << 20).tenant()).isEqualTo("globex.eu-1");
  }

  @Test
  void anInvalidTenantIsAProblemNamingTheAttribute() {
    for (Object bad : new Object[] {"two words", "", "-leading-dash", "x".repeat(65), 42}) {
      InvalidJobException e =
          catchThrowableOfType(
              InvalidJobException.class,
              () -> JobParser.fromCloudEvent(STRUCTURED, structured(bad), 1 << 20));
      assertThat(e).as(String.valueOf(bad)).isNotNull();
      assertThat(e.status()).isEqualTo(400);
      assertThat(e.problems())
          .extracting(Problem::code, Problem::path)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("EVT_ATTRIBUTE", "$.tenant"));
      assertThat(e.jobId()).isEqualTo("job-1");
    }
  }

  @Test
  void aJobsOwnJsonCannotSetItsTenant() {
    var job = TestJobs.threeStepScripted("job-3").put("tenant", "acme");
    assertThat(JobParser.fromJobJson(Json.writeBytes(job), 1 << 20).tenant())
        .isEqualTo(Tenants.DEFAULT);
  }
}
