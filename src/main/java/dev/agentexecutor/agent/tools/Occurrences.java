package dev.agentexecutor.agent.tools;

import java.util.Arrays;

/**
 * Where a string occurs in a text, left to right and without overlaps (as String.replace counts
 * them), found with Knuth-Morris-Pratt: time linear in the text and the string whatever they hold,
 * where String.indexOf can take their product.
 */
final class Occurrences {
  private Occurrences() {}

  /** The start indexes of the occurrences of a non-empty {@code part} in {@code text}. */
  static int[] of(String text, String part) {
    int[] fallback = failureTable(part);
    int[] found = new int[4];
    int count = 0;
    int matched = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      while (matched > 0 && c != part.charAt(matched)) matched = fallback[matched - 1];
      if (c == part.charAt(matched)) matched++;
      if (matched == part.length()) {
        if (count == found.length) found = Arrays.copyOf(found, count * 2);
        found[count++] = i - part.length() + 1;
        matched = 0; // no overlaps: the next occurrence starts after this one
      }
    }
    return Arrays.copyOf(found, count);
  }

  /**
   * For each prefix of {@code part}, the length of its longest proper prefix that is also its
   * suffix.
   */
  private static int[] failureTable(String part) {
    int[] table = new int[part.length()];
    for (int i = 1, k = 0; i < part.length(); i++) {
      while (k > 0 && part.charAt(i) != part.charAt(k)) k = table[k - 1];
      if (part.charAt(i) == part.charAt(k)) k++;
      table[i] = k;
    }
    return table;
  }

  /** {@code text} with the occurrences at {@code at} (from {@link #of}) replaced. */
  static String replace(String text, int[] at, int partLength, String replacement) {
    StringBuilder out =
        new StringBuilder(
            (int)
                Math.min(
                    Integer.MAX_VALUE - 8,
                    text.length() + (long) at.length * (replacement.length() - partLength)));
    int from = 0;
    for (int start : at) {
      out.append(text, from, start).append(replacement);
      from = start + partLength;
    }
    return out.append(text, from, text.length()).toString();
  }
}
