package dev.agentexecutor.observability;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** A job's logging scope leaves the thread's logging context as it found it. */
class LogContextTest {
  @AfterEach
  void clear() {
    MDC.clear();
  }

  @Test
  void aNestedJobScopeRestoresTheOuterJobsIdsWhenItCloses() {
    MDC.put("trace_id", "outer-trace");
    MDC.put("job_id", "outer-job");

    try (LogContext ignored = LogContext.of("inner-trace", "inner-job")) {
      assertThat(MDC.get("trace_id")).isEqualTo("inner-trace");
      assertThat(MDC.get("job_id")).isEqualTo("inner-job");
    }

    assertThat(MDC.get("trace_id")).isEqualTo("outer-trace");
    assertThat(MDC.get("job_id")).isEqualTo("outer-job");
  }

  @Test
  void aScopeOnACleanThreadLeavesItClean() {
    try (LogContext ignored = LogContext.of("t", "j")) {
      assertThat(MDC.get("job_id")).isEqualTo("j");
    }

    assertThat(MDC.get("trace_id")).isNull();
    assertThat(MDC.get("job_id")).isNull();
  }

  @Test
  void anIdNotGivenIsLeftAsItWas() {
    MDC.put("job_id", "kept");

    try (LogContext ignored = LogContext.of("t", null)) {
      assertThat(MDC.get("job_id")).isEqualTo("kept");
    }

    assertThat(MDC.get("job_id")).isEqualTo("kept");
    assertThat(MDC.get("trace_id")).isNull();
  }
}
