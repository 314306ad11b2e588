package dev.agentexecutor.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The one backoff every retry of the service uses (NATS, Redis, start-up, model calls). */
class BackoffTest {
  private static Backoff withJitter(double jitter) {
    return new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000), () -> jitter);
  }

  @Test
  void ceilingsDoubleFromTheInitialDelayUpToTheCap() {
    Backoff backoff = withJitter(0.5);

    assertThat(LongStream.rangeClosed(1, 6).mapToObj(backoff::ceiling).map(Duration::toMillis))
        .containsExactly(100L, 200L, 400L, 800L, 1000L, 1000L);
    assertThat(backoff.ceiling(10_000)).isEqualTo(Duration.ofMillis(1000)); // no overflow
    assertThat(backoff.ceiling(0)).isEqualTo(Duration.ofMillis(100));
  }

  @Test
  void fullJitterSpreadsEachDelayBetweenZeroAndItsCeiling() {
    assertThat(withJitter(0.0).delay(4)).isZero();
    assertThat(withJitter(0.5).delay(2)).isEqualTo(Duration.ofMillis(100));
    assertThat(withJitter(0.999999).delay(3)).isEqualTo(Duration.ofMillis(399));

    Backoff random = Backoff.of(Duration.ofMillis(100), Duration.ofMillis(1000));
    List<Long> delays = LongStream.range(0, 200).mapToObj(n -> random.delay(3).toMillis()).toList();
    assertThat(delays).allMatch(d -> d >= 0 && d <= 400);
    assertThat(delays.stream().distinct().count()).as("jittered, not fixed").isGreaterThan(10);
  }

  @Test
  void aServersRetryAfterWinsWhenItIsLongerEvenBeyondTheCap() {
    Backoff backoff = withJitter(0.5);

    assertThat(backoff.delay(1, Optional.of(Duration.ofSeconds(5))))
        .isEqualTo(Duration.ofSeconds(5));
    assertThat(backoff.delay(2, Optional.of(Duration.ofMillis(10))))
        .isEqualTo(Duration.ofMillis(100));
    assertThat(backoff.delay(2, Optional.empty())).isEqualTo(Duration.ofMillis(100));
  }

  @Test
  void refusesACapBelowTheInitialDelay() {
    assertThatThrownBy(() -> Backoff.of(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
