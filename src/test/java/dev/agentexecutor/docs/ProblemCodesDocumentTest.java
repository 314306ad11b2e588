package dev.agentexecutor.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentexecutor.core.problem.ProblemCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/problem-codes.md is the {@link ProblemCode} catalogue as a table, and the README links it: a
 * code added, removed or reworded in one place fails here until the other says the same. The
 * expected table is written to target/problem-codes.md to copy over.
 */
class ProblemCodesDocumentTest {
  private static final Path DOCUMENT = Path.of("docs/problem-codes.md");
  private static final String START = "<!-- problem-codes:start -->";
  private static final String END = "<!-- problem-codes:end -->";

  /** The table as the catalogue renders it. */
  static String table() {
    StringBuilder table =
        new StringBuilder("| Code | HTTP status | Meaning |\n| --- | --- | --- |\n");
    for (ProblemCode code : ProblemCode.values()) {
      table
          .append("| `")
          .append(code.name())
          .append("` | ")
          .append(code.status())
          .append(" | ")
          .append(code.meaning().replace("|", "\\|"))
          .append(" |\n");
    }
    return table.toString();
  }

  @Test
  void theDocumentListsEveryCodeOfTheCatalogueAsItSays() throws IOException {
    String expected = table();
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target/problem-codes.md"), expected);
    String document = Files.readString(DOCUMENT);

    String listed =
        document.substring(document.indexOf(START) + START.length(), document.indexOf(END)).strip();

    assertThat(listed + "\n")
        .as("docs/problem-codes.md differs from ProblemCode; see target/problem-codes.md")
        .isEqualTo(expected);
  }

  @Test
  void everyCodeTheReadmeNamesIsInTheCatalogueAndTheReadmeLinksIt() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    assertThat(readme).contains("(docs/problem-codes.md)");
    Matcher codes = Pattern.compile("`((?:BODY|EVT|JOB|INPUT|DEF)_[A-Z_]+[A-Z])`").matcher(readme);
    while (codes.find()) {
      assertThat(ProblemCode.valueOf(codes.group(1))).as(codes.group(1)).isNotNull();
    }
  }
}
