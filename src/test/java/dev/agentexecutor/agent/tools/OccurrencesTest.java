package dev.agentexecutor.agent.tools;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OccurrencesTest {
  @Test
  void findsNonOverlappingOccurrencesLeftToRightAsStringReplaceDoes() {
    assertThat(Occurrences.of("aaaa", "aa")).containsExactly(0, 2);
    assertThat(Occurrences.of("abcabcab", "abcab")).containsExactly(0);
    assertThat(Occurrences.of("xabaabab", "abab")).containsExactly(4);
    assertThat(Occurrences.of("none here", "x")).isEmpty();
  }

  @Test
  void replacesExactlyLikeStringReplace() {
    String text = "alpha beta\ngamma beta\ndelta beta";
    int[] at = Occurrences.of(text, "beta");

    assertThat(Occurrences.replace(text, at, 4, "B$1")).isEqualTo(text.replace("beta", "B$1"));
    assertThat(Occurrences.replace(text, new int[] {at[0]}, 4, ""))
        .isEqualTo("alpha \ngamma beta\ndelta beta");
  }
}
