package dev.agentexecutor.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentexecutor.core.ModelConfig;
import dev.agentexecutor.core.state.Message;
import dev.agentexecutor.util.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Script files are read only from the script directory (issue 9.4): nothing outside it, through
 * "..", absolute paths or symbolic links, no special files, nothing too large, and no error ever
 * says whether a file exists or what it holds.
 */
@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ScriptFileConfinementTest {
  private static final String SECRET = "TOP-SECRET-CONTENT";

  @TempDir Path root;

  private Path scripts() throws Exception {
    Path scripts = Files.createDirectories(root.resolve("scripts"));
    Files.writeString(scripts.resolve("ok.json"), "[{\"content\": \"from the file\"}]");
    Files.writeString(root.resolve("secret.json"), "[{\"content\": \"" + SECRET + "\"}]");
    return scripts;
  }

  private static ModelResponse chat(ScriptedModel model, String file) {
    JsonNode script = Json.object().put("file", file);
    return model.chat(
        new ModelRequest(
            "lead",
            new ModelConfig("scripted", "s", null, null, script),
            List.of(Message.user("go")),
            List.of()),
        TokenListener.NONE);
  }

  /** The one message for a file that cannot be read, whatever the reason. */
  private static String unavailable(String file) {
    return "cannot read scripted model file '"
        + file
        + "': it must be a readable regular file inside the script "
        + "directory (SCRIPTED_SCRIPT_DIR), named by a relative path";
  }

  @Test
  void readsARelativePathInsideTheDirectory() throws Exception {
    assertThat(chat(new ScriptedModel(scripts()), "ok.json").message().content())
        .isEqualTo("from the file");
  }

  @Test
  void refusesEveryPathOutsideTheDirectoryWithTheSameMessage() throws Exception {
    ScriptedModel model = new ScriptedModel(scripts());
    for (String file :
        List.of(
            "../secret.json",
            "/etc/passwd",
            root.resolve("secret.json").toString(),
            "missing.json",
            "sub/../../secret.json",
            "/proc/self/environ",
            "/dev/zero",
            "../../../../etc/shadow",
            ".")) {
      assertThatThrownBy(() -> chat(model, file))
          .as(file)
          .isInstanceOf(ModelException.class)
          .hasMessage(unavailable(file));
    }
  }

  @Test
  void refusesSymbolicLinksThatLeadOutOfTheDirectoryAndSpecialFiles() throws Exception {
    Path scripts = scripts();
    Files.createSymbolicLink(scripts.resolve("link.json"), root.resolve("secret.json"));
    Files.createSymbolicLink(scripts.resolve("zero.json"), Path.of("/dev/zero"));
    Files.createSymbolicLink(scripts.resolve("outside"), root);
    Files.createDirectories(scripts.resolve("dir.json"));
    ScriptedModel model = new ScriptedModel(scripts);

    for (String file : List.of("link.json", "zero.json", "outside/secret.json", "dir.json")) {
      assertThatThrownBy(() -> chat(model, file))
          .as(file)
          .hasMessage(unavailable(file))
          .hasMessageNotContaining(SECRET);
    }
  }

  @Test
  void followsSymbolicLinksThatStayInside() throws Exception {
    Path scripts = scripts();
    Files.createDirectories(scripts.resolve("v1"));
    Files.writeString(scripts.resolve("v1/real.json"), "[{\"content\": \"linked\"}]");
    Files.createSymbolicLink(scripts.resolve("current.json"), scripts.resolve("v1/real.json"));

    assertThat(chat(new ScriptedModel(scripts), "current.json").message().content())
        .isEqualTo("linked");
  }

  @Test
  void neverEchoesWhatAFileHolds() throws Exception {
    Path scripts = scripts();
    Files.writeString(
        scripts.resolve("broken.json"), "root:x:0:0:" + SECRET + ":/root:/bin/bash\n");
    Files.writeString(scripts.resolve("not-a-script.json"), "{\"password\": \"" + SECRET + "\"}");
    Files.writeString(
        scripts.resolve("bad-response.json"), "[{\"content\": 42, \"note\": \"" + SECRET + "\"}]");
    ScriptedModel model = new ScriptedModel(scripts);

    assertThatThrownBy(() -> chat(model, "broken.json"))
        .hasMessage("scripted model file 'broken.json' is not valid JSON (line 1, column 1)");
    assertThatThrownBy(() -> chat(model, "not-a-script.json"))
        .hasMessageNotContaining(SECRET)
        .hasMessageContaining("JSON array");
    assertThatThrownBy(() -> chat(model, "bad-response.json"))
        .hasMessageNotContaining(SECRET)
        .hasMessage(
            "invalid scripted model response #1 of script file bad-response.json: must be a string");
  }

  @Test
  void refusesAFileOverTheSizeLimitWithoutReadingItAll() throws Exception {
    Path scripts = scripts();
    try (var out = Files.newOutputStream(scripts.resolve("huge.json"))) {
      byte[] chunk = new byte[1 << 20];
      for (int i = 0; i <= ScriptReader.MAX_FILE_BYTES >> 20; i++) out.write(chunk);
    }

    assertThatThrownBy(() -> chat(new ScriptedModel(scripts), "huge.json"))
        .hasMessage(
            "scripted model file 'huge.json' is larger than "
                + ScriptReader.MAX_FILE_BYTES
                + " bytes");
  }

  @Test
  void withoutAScriptDirectoryOnlyInlineScriptsAreAccepted() {
    ScriptedModel inlineOnly = new ScriptedModel(Optional.empty());

    assertThatThrownBy(() -> chat(inlineOnly, "ok.json"))
        .hasMessage(
            "scripted model files are disabled on this service "
                + "(SCRIPTED_SCRIPT_DIR is unset): give the script inline");
    assertThatThrownBy(() -> chat(new ScriptedModel(), "/etc/passwd"))
        .hasMessageContaining("SCRIPTED_SCRIPT_DIR is unset");
  }
}
