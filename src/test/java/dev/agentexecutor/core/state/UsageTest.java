package dev.agentexecutor.core.state;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UsageTest {
  @Test
  void aRunsShareKeepsEveryCountIncludingCachedTokens() {
    Usage before = new Usage(100, 10, 40, 5);
    Usage after = before.plus(new Usage(30, 3, 20, 2));

    assertThat(after.minus(before)).isEqualTo(new Usage(30, 3, 20, 2));
    assertThat(after.total()).isEqualTo(143);
  }
}
