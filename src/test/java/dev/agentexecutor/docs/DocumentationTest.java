package dev.agentexecutor.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentexecutor.util.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The README's promises that code can check: its configuration table and its two commands. */
class DocumentationTest {
  private static final Path README = Path.of("README.md");

  @Test
  void theConfigurationTableListsEveryVariableWithItsDefault() throws IOException {
    String readme = Files.readString(README);
    String table =
        readme.substring(
            readme.indexOf("<!-- env-table:start -->"), readme.indexOf("<!-- env-table:end -->"));
    Map<String, String> documented = new LinkedHashMap<>();
    for (String line : table.lines().toList()) {
      if (!line.startsWith("| `")) continue;
      String[] cells = line.split("\\|");
      documented.put(cells[1].strip().replace("`", ""), cells[2].strip().replace("`", ""));
    }
    Map<String, String> declared = new LinkedHashMap<>();
    JsonNode variables =
        Json.parse(Files.readAllBytes(Path.of("src/main/resources/env-vars.json")))
            .path("variables");
    for (JsonNode variable : variables)
      declared.put(variable.path("name").asText(), variable.path("default").asText());

    assertThat(documented).isEqualTo(declared);
  }

  @Test
  void theReadmeNamesTheTwoCommandsAndCiRunsTheTestCommand() throws IOException {
    String readme = Files.readString(README);
    assertThat(readme).contains("scripts/run.sh ").contains("scripts/test.sh ");
    List<String> ci = new ArrayList<>(Files.readAllLines(Path.of(".ci/run")));
    assertThat(ci).anyMatch(line -> line.strip().equals("exec scripts/test.sh"));
  }
}
