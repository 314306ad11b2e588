package dev.agentexecutor.agent.tools;

import com.google.re2j.Pattern;

/**
 * Glob patterns ({@code *}, {@code **}, {@code ?}, {@code [abc]}, {@code [!abc]}, {@code {a,b}},
 * {@code \} escapes) translated to RE2/J, so that matching is linear whatever the pattern. A
 * leading or inner {@code **}{@code /} matches zero or more directories ({@code **}{@code /*.md}
 * finds {@code README.md} too).
 */
final class Glob {
  private static final String REGEX_META = "\\.^$|?*+()[]{}";

  private Glob() {}

  /** The compiled glob, or a ToolException naming the pattern and its problem. */
  static Pattern compile(String glob) {
    SafeRegex.checkLength(glob, "glob pattern");
    String regex = toRegex(glob);
    try {
      return Pattern.compile(regex);
    } catch (com.google.re2j.PatternSyntaxException e) {
      throw invalid(glob, e.getDescription());
    }
  }

  static String toRegex(String glob) {
    StringBuilder regex = new StringBuilder("^");
    boolean inAlternatives = false;
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      switch (c) {
        case '\\' -> {
          if (i + 1 == glob.length()) throw invalid(glob, "it ends with an escape '\\'");
          literal(regex, glob.charAt(++i));
        }
        case '*' -> {
          if (glob.startsWith("**/", i)) {
            regex.append("(?:.*/)?");
            i += 2;
          } else if (glob.startsWith("**", i)) {
            regex.append(".*");
            i++;
          } else {
            regex.append("[^/]*");
          }
        }
        case '?' -> regex.append("[^/]");
        case '[' -> i = characterClass(glob, i, regex);
        case '{' -> {
          if (inAlternatives) throw invalid(glob, "groups {...} cannot be nested");
          regex.append("(?:");
          inAlternatives = true;
        }
        case '}' -> {
          if (inAlternatives) {
            regex.append(')');
            inAlternatives = false;
          } else {
            literal(regex, c);
          }
        }
        case ',' -> regex.append(inAlternatives ? "|" : ",");
        default -> literal(regex, c);
      }
    }
    if (inAlternatives) throw invalid(glob, "missing '}'");
    return regex.append('$').toString();
  }

  /** Appends the class opened at {@code at} and returns the index of its ']'. */
  private static int characterClass(String glob, int at, StringBuilder regex) {
    int i = at + 1;
    boolean negated = i < glob.length() && (glob.charAt(i) == '!' || glob.charAt(i) == '^');
    if (negated) i++;
    StringBuilder members = new StringBuilder();
    for (boolean first = true; i < glob.length(); i++, first = false) {
      char c = glob.charAt(i);
      if (c == ']' && !first) {
        if (members.isEmpty()) throw invalid(glob, "empty class []");
        regex.append(negated ? "[^/" : "[").append(members).append(']');
        return i;
      }
      if (c == '/') throw invalid(glob, "a class [...] cannot match '/'");
      if (c == '\\' && i + 1 < glob.length()) c = glob.charAt(++i);
      if (c == '\\' || c == '[' || c == ']' || c == '^' || (c == '-' && members.isEmpty()))
        members.append('\\');
      members.append(c);
    }
    throw invalid(glob, "missing ']'");
  }

  private static void literal(StringBuilder regex, char c) {
    if (REGEX_META.indexOf(c) >= 0) regex.append('\\');
    regex.append(c);
  }

  private static ToolException invalid(String glob, String problem) {
    return new ToolException("invalid glob pattern '" + glob + "': " + problem);
  }
}
