package dev.agentexecutor.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class JobStatusTest {
  @Test
  void theWireNamesAreTheSixOfTheContract() {
    assertThat(Arrays.stream(JobStatus.values()).map(JobStatus::wireName))
        .containsExactly("queued", "running", "interrupted", "completed", "failed", "cancelled");
  }

  @Test
  void onlyCompletedFailedAndCancelledAreFinished() {
    assertThat(Arrays.stream(JobStatus.values()).filter(JobStatus::finished))
        .containsExactly(JobStatus.COMPLETED, JobStatus.FAILED, JobStatus.CANCELLED);
  }

  @Test
  void aWireNameReadsBackAndAnUnknownOneIsRefused() {
    for (JobStatus status : JobStatus.values())
      assertThat(JobStatus.fromWire(status.wireName())).isEqualTo(status);
    assertThatThrownBy(() -> JobStatus.fromWire("parked"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
