package dev.agentexecutor.agent.tools;

import static dev.agentexecutor.agent.tools.ToolTestSupport.T0;
import static dev.agentexecutor.agent.tools.ToolTestSupport.T1;
import static dev.agentexecutor.agent.tools.ToolTestSupport.call;
import static dev.agentexecutor.agent.tools.ToolTestSupport.withFiles;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentexecutor.agent.run.ToolResult;
import dev.agentexecutor.core.state.AgentState;
import dev.agentexecutor.core.state.FileData;
import dev.agentexecutor.util.Json;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class FileToolsTest {
  private static final AgentState TREE =
      withFiles(
          "/README.md", "# Project\nIntro line",
          "/docs/guide.md", "Step one\nTODO: step two\nstep three TODO",
          "/docs/api/ref.md", "GET /x",
          "/src/main.py", "print('TODO')");

  @Test
  void offersTheDeepagentsToolNamesAndArguments() {
    assertThat(FileTools.all())
        .extracting(Tool::name)
        .containsExactly("ls", "read_file", "write_file", "edit_file", "glob", "grep");
    assertThat(FileTools.readFile().spec().parameters().path("properties").fieldNames())
        .toIterable()
        .containsExactly("file_path", "offset", "limit");
    assertThat(FileTools.editFile().spec().parameters().path("required"))
        .extracting(JsonNode::asText)
        .containsExactly("file_path", "old_string", "new_string");
  }

  @Nested
  class Ls {
    @Test
    void listsEveryFileFromTheRootByDefault() {
      assertThat(call(FileTools.ls(), "{}", TREE).output())
          .isEqualTo("/README.md\n/docs/api/ref.md\n/docs/guide.md\n/src/main.py");
    }

    @Test
    void listsOnlyFilesUnderASubdirectoryWithOrWithoutTrailingSlash() {
      assertThat(call(FileTools.ls(), "{\"path\": \"/docs\"}", TREE).output())
          .isEqualTo("/docs/api/ref.md\n/docs/guide.md");
      assertThat(call(FileTools.ls(), "{\"path\": \"/docs/\"}", TREE).output())
          .isEqualTo("/docs/api/ref.md\n/docs/guide.md");
    }

    @Test
    void doesNotTreatAFileNamePrefixAsADirectory() {
      AgentState state = withFiles("/docs.md", "x", "/docs/a.md", "y");

      assertThat(call(FileTools.ls(), "{\"path\": \"/docs\"}", state).output())
          .isEqualTo("/docs/a.md");
    }

    @Test
    void saysSoWhenNothingIsThere() {
      assertThat(call(FileTools.ls(), "{}", withFiles()).output()).isEqualTo("No files found in /");
      assertThat(call(FileTools.ls(), "{\"path\": \"/nothing\"}", TREE).output())
          .isEqualTo("No files found in /nothing/");
    }
  }

  @Nested
  class ReadFile {
    private final AgentState lines = withFiles("/n.txt", "one\ntwo\nthree\nfour\nfive");

    @Test
    void returnsNumberedLinesInCatNFormat() {
      assertThat(call(FileTools.readFile(), "{\"file_path\": \"/n.txt\"}", lines).output())
          .isEqualTo("     1\tone\n     2\ttwo\n     3\tthree\n     4\tfour\n     5\tfive");
    }

    @Test
    void pagesWithOffsetAndLimitKeepingTheRealLineNumbers() {
      assertThat(
              call(
                      FileTools.readFile(),
                      "{\"file_path\": \"/n.txt\", \"offset\": 1, \"limit\": 2}",
                      lines)
                  .output())
          .isEqualTo("     2\ttwo\n     3\tthree");
      assertThat(
              call(FileTools.readFile(), "{\"file_path\": \"/n.txt\", \"offset\": \"3\"}", lines)
                  .output())
          .isEqualTo("     4\tfour\n     5\tfive");
    }

    @Test
    void refusesAnOffsetPastTheEnd() {
      assertThatThrownBy(
              () -> call(FileTools.readFile(), "{\"file_path\": \"/n.txt\", \"offset\": 5}", lines))
          .isInstanceOf(ToolException.class)
          .hasMessage("line offset 5 exceeds file length (5 lines)");
    }

    @Test
    void refusesANegativeOffsetOrZeroLimit() {
      assertThatThrownBy(
              () ->
                  call(FileTools.readFile(), "{\"file_path\": \"/n.txt\", \"offset\": -1}", lines))
          .isInstanceOf(ToolException.class)
          .hasMessageContaining("offset must be >= 0");
      assertThatThrownBy(
              () -> call(FileTools.readFile(), "{\"file_path\": \"/n.txt\", \"limit\": 0}", lines))
          .isInstanceOf(ToolException.class)
          .hasMessageContaining("limit >= 1");
    }

    @Test
    void reportsAMissingFile() {
      assertThatThrownBy(
              () -> call(FileTools.readFile(), "{\"file_path\": \"/missing.txt\"}", lines))
          .isInstanceOf(ToolException.class)
          .hasMessage("file '/missing.txt' not found");
    }

    @Test
    void remindsThatAnEmptyFileIsEmpty() {
      assertThat(
              call(FileTools.readFile(), "{\"file_path\": \"/e.txt\"}", withFiles("/e.txt", ""))
                  .output())
          .isEqualTo("System reminder: File exists but has empty contents");
    }

    @Test
    void cutsVeryLongLinesAt2000Characters() {
      String output =
          call(
                  FileTools.readFile(),
                  "{\"file_path\": \"/l.txt\"}",
                  withFiles("/l.txt", "x".repeat(2500)))
              .output();

      assertThat(output).isEqualTo("     1\t" + "x".repeat(2000));
    }

    @Test
    void keepsTrailingSpacesOfTheLastLine() {
      assertThat(
              call(
                      FileTools.readFile(),
                      "{\"file_path\": \"/t.txt\"}",
                      withFiles("/t.txt", "a\nb  "))
                  .output())
          .isEqualTo("     1\ta\n     2\tb  ");
    }

    @Test
    void requiresAStringFilePath() {
      assertThatThrownBy(() -> call(FileTools.readFile(), "{}", lines))
          .isInstanceOf(ToolException.class)
          .hasMessage("missing required argument 'file_path'");
      assertThatThrownBy(() -> call(FileTools.readFile(), "{\"file_path\": 3}", lines))
          .isInstanceOf(ToolException.class)
          .hasMessage("argument 'file_path' must be a string");
    }
  }

  @Nested
  class WriteFile {
    @Test
    void createsAFileAsLinesWithCreationAndModificationTimes() {
      ToolResult result =
          call(
              FileTools.writeFile(),
              "{\"file_path\": \"/notes/a.md\", \"content\": \"hello\\nworld\"}",
              withFiles());

      assertThat(result.error()).isFalse();
      assertThat(result.output()).isEqualTo("Updated file /notes/a.md");
      assertThat(Json.tree(result.state().files()))
          .isEqualTo(
              Json.parse(
                  """
          {"/notes/a.md": {"content": ["hello", "world"],
                           "created_at": "2025-01-01T11:30:00Z",
                           "modified_at": "2025-01-01T11:30:00Z"}}"""));
    }

    @Test
    void refusesToOverwriteAnExistingFile() {
      AgentState state = withFiles("/a.md", "old");

      assertThatThrownBy(
              () ->
                  call(
                      FileTools.writeFile(),
                      "{\"file_path\": \"/a.md\", \"content\": \"new\"}",
                      state))
          .isInstanceOf(ToolException.class)
          .hasMessageContaining("/a.md because it already exists");
      assertThat(state.files().get("/a.md").text()).isEqualTo("old");
    }

    @Test
    void leavesTheCallersStateUntouched() {
      AgentState before = withFiles();

      call(FileTools.writeFile(), "{\"file_path\": \"/a.md\", \"content\": \"x\"}", before);

      assertThat(before.files()).isEmpty();
    }
  }

  @Nested
  class EditFile {
    private final AgentState state = withFiles("/a.txt", "alpha beta\ngamma beta\ndelta");

    @Test
    void replacesAUniqueStringAndKeepsCreationTime() {
      ToolResult result =
          call(
              FileTools.editFile(),
              "{\"file_path\": \"/a.txt\", \"old_string\": \"gamma\", \"new_string\": \"GAMMA $1\"}",
              state);

      FileData file = result.state().files().get("/a.txt");
      assertThat(file.content()).containsExactly("alpha beta", "GAMMA $1 beta", "delta");
      assertThat(file.createdAt()).isEqualTo(T0);
      assertThat(file.modifiedAt()).isEqualTo(T1);
      assertThat(result.output())
          .isEqualTo("Successfully replaced 1 instance(s) of the string in '/a.txt'");
    }

    @Test
    void reportsAStringThatIsNotThere() {
      assertThatThrownBy(
              () ->
                  call(
                      FileTools.editFile(),
                      "{\"file_path\": \"/a.txt\", \"old_string\": \"omega\", \"new_string\": \"x\"}",
                      state))
          .isInstanceOf(ToolException.class)
          .hasMessage("string not found in file: 'omega'");
    }

    @Test
    void refusesANonUniqueStringWithoutReplaceAll() {
      assertThatThrownBy(
              () ->
                  call(
                      FileTools.editFile(),
                      "{\"file_path\": \"/a.txt\", \"old_string\": \"beta\", \"new_string\": \"B\"}",
                      state))
          .isInstanceOf(ToolException.class)
          .hasMessageStartingWith("string 'beta' appears 2 times in the file");
    }

    @Test
    void replacesEveryOccurrenceWithReplaceAllAndCountsThem() {
      ToolResult result =
          call(
              FileTools.editFile(),
              "{\"file_path\": \"/a.txt\", \"old_string\": \"beta\", \"new_string\": \"B\", \"replace_all\": true}",
              state);

      assertThat(result.state().files().get("/a.txt").text()).isEqualTo("alpha B\ngamma B\ndelta");
      assertThat(result.output())
          .isEqualTo("Successfully replaced 2 instance(s) of the string in '/a.txt'");
    }

    @Test
    void editsAcrossLines() {
      ToolResult result =
          call(
              FileTools.editFile(),
              "{\"file_path\": \"/a.txt\", \"old_string\": \"beta\\ndelta\", \"new_string\": \"end\"}",
              state);

      assertThat(result.state().files().get("/a.txt").content())
          .containsExactly("alpha beta", "gamma end");
    }

    @Test
    void reportsAMissingFile() {
      assertThatThrownBy(
              () ->
                  call(
                      FileTools.editFile(),
                      "{\"file_path\": \"/b.txt\", \"old_string\": \"a\", \"new_string\": \"b\"}",
                      state))
          .isInstanceOf(ToolException.class)
          .hasMessage("file '/b.txt' not found");
    }
  }

  @Nested
  class Glob {
    @Test
    void starMatchesOnlyTheTopLevel() {
      assertThat(call(FileTools.glob(), "{\"pattern\": \"*.md\"}", TREE).output())
          .isEqualTo("/README.md");
    }

    @Test
    void doubleStarMatchesAtAnyDepthIncludingTheTop() {
      assertThat(call(FileTools.glob(), "{\"pattern\": \"**/*.md\"}", TREE).output())
          .isEqualTo("/README.md\n/docs/api/ref.md\n/docs/guide.md");
    }

    @Test
    void searchesFromTheGivenPath() {
      assertThat(
              call(FileTools.glob(), "{\"pattern\": \"*.md\", \"path\": \"/docs\"}", TREE).output())
          .isEqualTo("/docs/guide.md");
      assertThat(
              call(FileTools.glob(), "{\"pattern\": \"**/*.md\", \"path\": \"/docs\"}", TREE)
                  .output())
          .isEqualTo("/docs/api/ref.md\n/docs/guide.md");
    }

    @Test
    void saysSoWhenNothingMatchesAndRejectsABadPattern() {
      assertThat(call(FileTools.glob(), "{\"pattern\": \"*.rs\"}", TREE).output())
          .isEqualTo("No files found");
      assertThatThrownBy(() -> call(FileTools.glob(), "{\"pattern\": \"[a\"}", TREE))
          .isInstanceOf(ToolException.class)
          .hasMessageStartingWith("invalid glob pattern '[a'");
    }
  }

  @Nested
  class Grep {
    @Test
    void listsFilesWithMatchesByDefault() {
      assertThat(call(FileTools.grep(), "{\"pattern\": \"TODO\"}", TREE).output())
          .isEqualTo("/docs/guide.md\n/src/main.py");
    }

    @Test
    void showsMatchingLinesWithLineNumbersInContentMode() {
      assertThat(
              call(FileTools.grep(), "{\"pattern\": \"TODO\", \"output_mode\": \"content\"}", TREE)
                  .output())
          .isEqualTo(
              "/docs/guide.md:2:TODO: step two\n/docs/guide.md:3:step three TODO\n/src/main.py:1:print('TODO')");
    }

    @Test
    void countsMatchingLinesPerFile() {
      assertThat(
              call(FileTools.grep(), "{\"pattern\": \"TODO\", \"output_mode\": \"count\"}", TREE)
                  .output())
          .isEqualTo("/docs/guide.md:2\n/src/main.py:1");
    }

    @Test
    void filtersFilesByGlobOnTheNameOrAtAnyDepth() {
      assertThat(
              call(FileTools.grep(), "{\"pattern\": \"TODO\", \"glob\": \"*.py\"}", TREE).output())
          .isEqualTo("/src/main.py");
      assertThat(
              call(FileTools.grep(), "{\"pattern\": \"TODO\", \"glob\": \"**/*.md\"}", TREE)
                  .output())
          .isEqualTo("/docs/guide.md");
    }

    @Test
    void searchesOnlyUnderThePath() {
      assertThat(
              call(FileTools.grep(), "{\"pattern\": \".\", \"path\": \"/docs/api\"}", TREE)
                  .output())
          .isEqualTo("/docs/api/ref.md");
    }

    @Test
    void usesRegularExpressions() {
      assertThat(
              call(
                      FileTools.grep(),
                      "{\"pattern\": \"^Step\\\\s+one$\", \"output_mode\": \"content\"}",
                      TREE)
                  .output())
          .isEqualTo("/docs/guide.md:1:Step one");
      assertThat(call(FileTools.grep(), "{\"pattern\": \"nothing-like-this\"}", TREE).output())
          .isEqualTo("No matches found");
    }

    @Test
    void rejectsAnInvalidRegexABadGlobAndAnUnknownMode() {
      assertThatThrownBy(() -> call(FileTools.grep(), "{\"pattern\": \"(unclosed\"}", TREE))
          .isInstanceOf(ToolException.class)
          .hasMessageStartingWith("invalid regex: ");
      assertThatThrownBy(
              () -> call(FileTools.grep(), "{\"pattern\": \"x\", \"glob\": \"[a\"}", TREE))
          .isInstanceOf(ToolException.class)
          .hasMessageStartingWith("invalid glob pattern '[a'");
      assertThatThrownBy(
              () ->
                  call(FileTools.grep(), "{\"pattern\": \"x\", \"output_mode\": \"lines\"}", TREE))
          .isInstanceOf(ToolException.class)
          .hasMessage("output_mode must be files_with_matches, content or count");
    }
  }

  @Nested
  class Paths {
    @Test
    void makesRelativePathsAbsolute() {
      ToolResult result =
          call(
              FileTools.writeFile(),
              "{\"file_path\": \"notes/a.md\", \"content\": \"x\"}",
              withFiles());

      assertThat(result.state().files()).containsOnlyKeys("/notes/a.md");
      assertThat(
              call(FileTools.readFile(), "{\"file_path\": \"notes/a.md\"}", result.state())
                  .output())
          .isEqualTo("     1\tx");
    }

    @Test
    void collapsesRepeatedSlashesAndDotSegments() {
      assertThat(FileTools.path("//notes//./a.md")).isEqualTo("/notes/a.md");
      assertThat(FileTools.path("./a.md")).isEqualTo("/a.md");
      assertThat(FileTools.path(" /a.md ")).isEqualTo("/a.md");
    }

    @Test
    void rejectsParentDirectorySegmentsHomePathsAndEmptyPaths() {
      assertThatThrownBy(() -> FileTools.path("/notes/../etc/passwd"))
          .isInstanceOf(ToolException.class)
          .hasMessage("path '/notes/../etc/passwd' must not contain '..'");
      assertThatThrownBy(() -> FileTools.path("~/a.md"))
          .isInstanceOf(ToolException.class)
          .hasMessageContaining("'~'");
      assertThatThrownBy(() -> FileTools.path("  "))
          .isInstanceOf(ToolException.class)
          .hasMessage("file path must not be empty");
      assertThatThrownBy(
              () ->
                  call(
                      FileTools.writeFile(),
                      "{\"file_path\": \"../x\", \"content\": \"x\"}",
                      withFiles()))
          .isInstanceOf(ToolException.class);
    }

    @Test
    void allowsDotsInsideNames() {
      assertThat(FileTools.path("/v1..2/notes.md")).isEqualTo("/v1..2/notes.md");
    }
  }
}
