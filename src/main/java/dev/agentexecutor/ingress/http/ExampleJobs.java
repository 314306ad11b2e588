package dev.agentexecutor.ingress.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.util.Json;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The example jobs of the repository's examples/ folder, which the build packs into the jar: each
 * as {@code {name, file, job}}, plus {@code needs} and {@code description} from the folder's README
 * table when it describes the file.
 */
final class ExampleJobs {
  private static final Logger log = LoggerFactory.getLogger(ExampleJobs.class);
  static final String FOLDER = "examples";

  /** A row of the README's table: | `file.json` | needs | what it shows |. */
  private static final Pattern README_ROW =
      Pattern.compile(
          "^\\|\\s*`([^`]+\\.json)`\\s*\\|([^|]*)\\|([^|]*)\\|\\s*$", Pattern.MULTILINE);

  private ExampleJobs() {}

  static ArrayNode load() {
    Map<String, byte[]> files = ClasspathFolder.read(FOLDER);
    Map<String, String[]> described = readme(files.get("README.md"));
    ArrayNode examples = Json.MAPPER.createArrayNode();
    files.forEach(
        (file, body) -> {
          if (!file.endsWith(".json") || file.contains("/")) return;
          JsonNode job;
          try {
            job = Json.parse(body);
          } catch (RuntimeException e) {
            log.warn("example {} is not valid JSON and is not offered: {}", file, e.getMessage());
            return;
          }
          ObjectNode example =
              examples
                  .addObject()
                  .put("name", file.substring(0, file.length() - ".json".length()))
                  .put("file", file);
          String[] row = described.get(file);
          if (row != null) example.put("needs", row[0]).put("description", row[1]);
          example.set("job", job);
        });
    return examples;
  }

  private static Map<String, String[]> readme(byte[] readme) {
    Map<String, String[]> rows = new HashMap<>();
    if (readme == null) return rows;
    Matcher row = README_ROW.matcher(new String(readme, StandardCharsets.UTF_8));
    while (row.find())
      rows.put(
          row.group(1), new String[] {markdownToText(row.group(2)), markdownToText(row.group(3))});
    return rows;
  }

  private static String markdownToText(String cell) {
    return cell.strip().replace("`", "");
  }
}
