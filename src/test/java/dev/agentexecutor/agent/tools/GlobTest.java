package dev.agentexecutor.agent.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.re2j.Pattern;
import org.junit.jupiter.api.Test;

/** Glob syntax translated to RE2/J keeps the meaning it had with the JDK's glob matcher. */
class GlobTest {
  private static boolean matches(String glob, String path) {
    Pattern pattern = Glob.compile(glob);
    return pattern.matcher(path).matches();
  }

  @Test
  void starStaysInOneDirectoryAndDoubleStarCrossesThem() {
    assertThat(matches("*.md", "a.md")).isTrue();
    assertThat(matches("*.md", "docs/a.md")).isFalse();
    assertThat(matches("**/*.md", "docs/api/a.md")).isTrue();
    assertThat(matches("**/*.md", "a.md")).isTrue();
    assertThat(matches("docs/**", "docs/api/a.md")).isTrue();
    assertThat(matches("docs/**/ref.md", "docs/ref.md")).isTrue();
  }

  @Test
  void supportsQuestionMarksClassesAlternativesAndEscapes() {
    assertThat(matches("?.py", "a.py")).isTrue();
    assertThat(matches("?.py", "/.py")).isFalse();
    assertThat(matches("[abc].txt", "b.txt")).isTrue();
    assertThat(matches("[!abc].txt", "b.txt")).isFalse();
    assertThat(matches("[!abc].txt", "d.txt")).isTrue();
    assertThat(matches("[a-c]1", "c1")).isTrue();
    assertThat(matches("*.{md,txt}", "notes.txt")).isTrue();
    assertThat(matches("*.{md,txt}", "notes.py")).isFalse();
    assertThat(matches("\\*.md", "*.md")).isTrue();
    assertThat(matches("\\*.md", "a.md")).isFalse();
    assertThat(matches("a+b(c).md", "a+b(c).md")).isTrue();
  }

  @Test
  void rejectsMalformedPatternsNamingThem() {
    assertThatThrownBy(() -> Glob.compile("[a"))
        .isInstanceOf(ToolException.class)
        .hasMessage("invalid glob pattern '[a': missing ']'");
    assertThatThrownBy(() -> Glob.compile("{a,b"))
        .hasMessage("invalid glob pattern '{a,b': missing '}'");
    assertThatThrownBy(() -> Glob.compile("{a,{b}}")).hasMessageContaining("cannot be nested");
    assertThatThrownBy(() -> Glob.compile("a\\")).hasMessageContaining("ends with an escape");
    assertThatThrownBy(() -> Glob.compile("[z-a]"))
        .hasMessageStartingWith("invalid glob pattern '[z-a]'");
  }
}
