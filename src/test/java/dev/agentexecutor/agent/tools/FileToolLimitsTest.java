package dev.agentexecutor.agent.tools;

import static dev.agentexecutor.agent.tools.ToolTestSupport.T1;
import static dev.agentexecutor.agent.tools.ToolTestSupport.withFiles;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.agent.run.ToolCallContext;
import dev.agentexecutor.agent.run.ToolResult;
import dev.agentexecutor.core.state.AgentState;
import dev.agentexecutor.core.state.StateLimits;
import dev.agentexecutor.util.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The file tools refuse, before changing anything, writes and edits that would break the state's
 * limits (issue 9.5).
 */
class FileToolLimitsTest {
  /** 100 characters per file, 3 files, 250 characters in all (paths included). */
  private static final StateLimits SMALL = new StateLimits(100, 3, 250, 100_000, 1_000_000);

  private static ToolResult call(Tool tool, ObjectNode args, AgentState state, StateLimits limits) {
    return tool.call(args, state, new ToolCallContext("call_1", "lead", T1, limits));
  }

  private static ObjectNode write(String path, String content) {
    return Json.object().put("file_path", path).put("content", content);
  }

  private static ObjectNode replaceAll(String path, String oldString, String newString) {
    return Json.object()
        .put("file_path", path)
        .put("old_string", oldString)
        .put("new_string", newString)
        .put("replace_all", true);
  }

  @Test
  void writeFileRefusesAFileOverTheSizeLimit() {
    assertThatThrownBy(
            () -> call(FileTools.writeFile(), write("/a.md", "x".repeat(101)), withFiles(), SMALL))
        .isInstanceOf(ToolException.class)
        .hasMessageContaining(
            "cannot write /a.md: the file would have 101 characters, over the limit of 100 per file (MAX_FILE_CHARS)");
    assertThat(
            call(FileTools.writeFile(), write("/a.md", "x".repeat(100)), withFiles(), SMALL)
                .state()
                .files())
        .containsKey("/a.md");
  }

  @Test
  void writeFileRefusesOneFileTooMany() {
    AgentState three = withFiles("/1", "a", "/2", "b", "/3", "c");

    assertThatThrownBy(() -> call(FileTools.writeFile(), write("/4", "d"), three, SMALL))
        .isInstanceOf(ToolException.class)
        .hasMessageContaining("already holds 3 files, its limit (MAX_FILES)");
  }

  @Test
  void writeFileRefusesToGrowTheFileSystemPastItsTotal() {
    AgentState full =
        withFiles("/a", "x".repeat(100), "/b", "y".repeat(100)); // paths and texts: 204 characters

    assertThatThrownBy(() -> call(FileTools.writeFile(), write("/c", "z".repeat(45)), full, SMALL))
        .isInstanceOf(ToolException.class)
        .hasMessageContaining(
            "the file system would hold 251 characters, over its limit of 250 (MAX_FILES_TOTAL_CHARS)");
    assertThat(
            call(FileTools.writeFile(), write("/c", "z".repeat(44)), full, SMALL).state().files())
        .hasSize(3);
  }

  @Test
  void editFileRefusesAReplaceAllThatWouldGrowTheFilePastTheLimitAndChangesNothing() {
    AgentState state = withFiles("/a.txt", "ab ab ab");

    assertThatThrownBy(
            () ->
                call(
                    FileTools.editFile(), replaceAll("/a.txt", "ab", "x".repeat(40)), state, SMALL))
        .isInstanceOf(ToolException.class)
        .hasMessageContaining(
            "cannot edit /a.txt: the file would have 122 characters, over the limit of 100 per file (MAX_FILE_CHARS)")
        .hasMessageContaining("Nothing was changed");
    assertThat(state.files().get("/a.txt").text()).isEqualTo("ab ab ab");
  }

  /** The report: write_file, then five replace_all edits turned 2.5 KB into 100 MB. */
  @Test
  void repeatedReplaceAllEditsStopAtTheDefaultFileLimit() {
    StateLimits limits = StateLimits.DEFAULTS;
    AgentState state =
        call(
                FileTools.writeFile(),
                write("/notes.md", "lorem ipsum ".repeat(200)),
                withFiles(),
                limits)
            .state();
    int edits = 0;
    try {
      for (; edits < 5; edits++) {
        state =
            call(
                    FileTools.editFile(),
                    replaceAll("/notes.md", "ipsum", "ipsum ".repeat(10)),
                    state,
                    limits)
                .state();
      }
    } catch (ToolException e) {
      assertThat(e.getMessage()).contains("MAX_FILE_CHARS");
    }

    assertThat(edits).isLessThan(5);
    assertThat(state.files().get("/notes.md").chars()).isLessThanOrEqualTo(limits.maxFileChars());
  }

  @Test
  @Timeout(value = 5, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void editFileFindsStringsInTimeLinearInTheTextWhateverTheyHold() {
    String text = "a".repeat(1_000_000);
    String needle =
        "a".repeat(300_000) + "b"; // String.indexOf would compare about 2 * 10^11 characters
    AgentState state = withFiles("/a.txt", text);

    assertThatThrownBy(
            () ->
                call(
                    FileTools.editFile(),
                    Json.object()
                        .put("file_path", "/a.txt")
                        .put("old_string", needle)
                        .put("new_string", "x"),
                    state,
                    StateLimits.DEFAULTS))
        .isInstanceOf(ToolException.class)
        .hasMessageStartingWith("string not found in file: 'aaaa")
        .hasMessageEndingWith("...'");
  }

  @Test
  void pathsAreBoundedAndFreeOfControlCharacters() {
    assertThatThrownBy(() -> FileTools.path("/" + "d".repeat(StateLimits.MAX_PATH_CHARS)))
        .isInstanceOf(ToolException.class)
        .hasMessageContaining("the limit is 4096");
    assertThatThrownBy(() -> FileTools.path("/a\nb.md"))
        .isInstanceOf(ToolException.class)
        .hasMessage("the path must not contain control characters");
  }

  @Test
  void theStateLimitsNameTheFirstProblemOfAFileSystem() {
    assertThat(SMALL.problem(withFiles("/a", "x").files())).isNull();
    assertThat(SMALL.problem(withFiles("/a", "x".repeat(101)).files()))
        .contains("'/a' has 101 characters");
    assertThat(SMALL.problem(withFiles("/1", "", "/2", "", "/3", "", "/4", "").files()))
        .contains("4 files");
    assertThat(
            SMALL.problem(
                withFiles("/a", "x".repeat(100), "/b", "x".repeat(100), "/c", "x".repeat(50))
                    .files()))
        .contains("256 characters in all");
  }
}
