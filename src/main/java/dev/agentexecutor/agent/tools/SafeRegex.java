package dev.agentexecutor.agent.tools;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Regular expressions from models and jobs, compiled with RE2/J: matching takes time linear in the
 * text (no backtracking, so no catastrophic patterns), and the text given to a matcher stops the
 * match when its thread is interrupted, so an abandoned tool call ends soon.
 */
final class SafeRegex {
  /** The longest pattern accepted, in characters. */
  static final int MAX_PATTERN_CHARS = 1000;

  /**
   * The most repetitions that counted repeats may multiply to ({@code (a{10}){100}} is 1000): RE2/J
   * expands them when compiling and would run out of memory on {@code ((a{1000}){1000}){1000}}. RE2
   * (C++) refuses the same patterns with the same bound.
   */
  static final long MAX_REPETITION = 1000;

  private SafeRegex() {}

  /** The compiled pattern, or a {@link ToolException} explaining what is wrong with it. */
  static Pattern compile(String regex) {
    checkLength(regex, "regex");
    if (repetition(regex) > MAX_REPETITION) {
      throw new ToolException(
          "the regex repeats too much: nested counted repetitions such as (x{10}){100} "
              + "may multiply to at most "
              + MAX_REPETITION);
    }
    try {
      return Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new ToolException("invalid regex: " + e.getDescription());
    }
  }

  static void checkLength(String pattern, String what) {
    if (pattern.length() > MAX_PATTERN_CHARS) {
      throw new ToolException(
          "the "
              + what
              + " has "
              + pattern.length()
              + " characters; the limit is "
              + MAX_PATTERN_CHARS);
    }
  }

  /**
   * Whether the regex finds a match in {@code text}; stops with a ToolException when interrupted.
   */
  static boolean find(Pattern regex, String text) {
    return regex.matcher(new Interruptible(text)).find();
  }

  /**
   * The largest product of nested counted repetitions in the regex: each group's weight is the
   * largest weight inside it, times the count that follows it. Escapes and character classes are
   * skipped; a malformed regex gets some weight and is then refused by the compiler.
   */
  static long repetition(String regex) {
    Deque<long[]> groups = new ArrayDeque<>(); // per open group: {largest weight inside}
    long[] current = {1};
    long atom = 1;
    for (int i = 0; i < regex.length(); i++) {
      char c = regex.charAt(i);
      switch (c) {
        case '\\' -> {
          i = skipEscape(regex, i);
          atom = 1;
        }
        case '[' -> {
          i = skipClass(regex, i);
          atom = 1;
        }
        case '(' -> {
          groups.push(current);
          current = new long[] {1};
          atom = 1;
          continue;
        }
        case ')' -> {
          atom = current[0];
          current = groups.isEmpty() ? new long[] {1} : groups.pop();
        }
        case '{' -> {
          int end = regex.indexOf('}', i);
          long count = end < 0 ? -1 : count(regex.substring(i + 1, end));
          if (count >= 0) {
            atom = Math.min(Long.MAX_VALUE / 2048, atom * Math.max(1, count));
            i = end;
          } else {
            atom = 1; // a literal brace
          }
        }
        default -> {
          if (c != '*' && c != '+' && c != '?' && c != '|') atom = 1;
        }
      }
      current[0] = Math.max(current[0], atom);
    }
    while (!groups.isEmpty()) {
      long inner = current[0];
      current = groups.pop();
      current[0] = Math.max(current[0], inner);
    }
    return current[0];
  }

  /**
   * The larger bound of a repeat "n", "n," or "n,m", or -1 when it is not one (then the brace is
   * literal).
   */
  private static long count(String body) {
    if (!body.matches("\\d{1,9}(,\\d{0,9})?")) return -1;
    long larger = 0;
    for (String part : body.split(","))
      if (!part.isEmpty()) larger = Math.max(larger, Long.parseLong(part));
    return larger;
  }

  private static int skipEscape(String regex, int at) {
    int next = at + 1;
    if (next >= regex.length()) return at;
    char c = regex.charAt(next);
    if (c == 'Q') {
      int end = regex.indexOf("\\E", next);
      return end < 0 ? regex.length() - 1 : end + 1;
    }
    if ((c == 'p' || c == 'P' || c == 'x')
        && next + 1 < regex.length()
        && regex.charAt(next + 1) == '{') {
      int end = regex.indexOf('}', next);
      return end < 0 ? regex.length() - 1 : end;
    }
    return next;
  }

  /** The index of the ']' closing the class opened at {@code at}. */
  private static int skipClass(String regex, int at) {
    int i = at + 1;
    if (i < regex.length() && regex.charAt(i) == '^') i++;
    if (i < regex.length() && regex.charAt(i) == ']') i++; // a leading ']' is a member
    for (; i < regex.length(); i++) {
      char c = regex.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '[' && i + 1 < regex.length() && regex.charAt(i + 1) == ':') {
        int end = regex.indexOf(":]", i + 2);
        if (end > 0) i = end + 1;
      } else if (c == ']') {
        return i;
      }
    }
    return regex.length() - 1;
  }

  /**
   * A string as RE2/J reads it (through charAt), checking every 4096 characters whether the thread
   * was interrupted: the way to stop a match that is still running when its tool call is abandoned.
   */
  private record Interruptible(String text) implements CharSequence {
    @Override
    public char charAt(int index) {
      if ((index & 0xFFF) == 0 && Thread.currentThread().isInterrupted()) {
        throw new ToolException("the search was stopped");
      }
      return text.charAt(index);
    }

    @Override
    public int length() {
      return text.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return new Interruptible(text.substring(start, end));
    }

    @Override
    public String toString() {
      return text;
    }
  }
}
