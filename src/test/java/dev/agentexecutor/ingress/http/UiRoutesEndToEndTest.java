package dev.agentexecutor.ingress.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.testkit.ServiceHarness;
import dev.agentexecutor.testkit.TestJobs;
import dev.agentexecutor.util.Json;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The run viewer's routes end to end over HTTP: static files, examples, definition checks,
 * UI_ENABLED.
 */
class UiRoutesEndToEndTest {
  private ServiceHarness service = ServiceHarness.start();

  @AfterEach
  void stop() {
    service.close();
  }

  @Test
  void slashUiRedirectsToTheFolderAndTheIndexIsServedUncachedUnderAStrictPolicy() {
    HttpResponse<String> redirect = service.get("/ui");
    assertThat(redirect.statusCode()).isEqualTo(302);
    assertThat(redirect.headers().firstValue("Location")).contains("/ui/");

    HttpResponse<String> index = service.get("/ui/");
    assertThat(index.statusCode()).isEqualTo(200);
    assertThat(index.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
    assertThat(index.headers().firstValue("Cache-Control")).contains("no-cache");
    String policy = index.headers().firstValue("Content-Security-Policy").orElse("");
    assertThat(policy)
        .contains(
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            "connect-src 'self'",
            "frame-ancestors 'none'")
        .doesNotContain("unsafe-inline", "unsafe-eval", "http:", "https:", "*");
    assertThat(index.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
    assertThat(index.body()).contains("<script type=\"module\" src=\"js/app.js\"></script>");
  }

  @Test
  void thePageHasNoInlineScriptOrStyleAndReferencesNothingOutsideTheService() throws Exception {
    for (Path file : uiFiles()) {
      String text = Files.readString(file);
      String name = file.toString();
      if (name.endsWith(".html")) {
        Matcher script =
            Pattern.compile("<script\\b([^>]*)>(.*?)</script>", Pattern.DOTALL).matcher(text);
        while (script.find()) {
          assertThat(script.group(1)).as(name).contains("src=");
          assertThat(script.group(2).strip()).as(name).isEmpty();
        }
        assertThat(text)
            .as(name)
            .doesNotContain("<style", " style=", " on" + "click=", "javascript:");
      }
      assertThat(text)
          .as(name)
          .doesNotContainPattern("(src|href)=\"(https?:)?//")
          .doesNotContainPattern("from\\s*\"(https?:)?//")
          .doesNotContainPattern("import\\(\\s*\"(https?:)?//")
          .doesNotContain("@import url(http");
    }
  }

  @Test
  void everyFileOfTheUiFolderIsServedWithItsTypeAndVendoredFilesAreCachedForAYear()
      throws Exception {
    Path root = Path.of("src/main/resources/ui");
    for (Path file : uiFiles()) {
      String path = root.relativize(file).toString().replace('\\', '/');
      HttpResponse<String> response = service.get("/ui/" + path);
      assertThat(response.statusCode()).as(path).isEqualTo(200);
      assertThat(response.body()).as(path).isEqualTo(Files.readString(file));
      String type = response.headers().firstValue("Content-Type").orElse("");
      if (path.endsWith(".js") || path.endsWith(".mjs"))
        assertThat(type).as(path).startsWith("text/javascript");
      if (path.endsWith(".css")) assertThat(type).as(path).startsWith("text/css");
      String cache = response.headers().firstValue("Cache-Control").orElse("");
      if (path.startsWith("vendor/"))
        assertThat(cache).as(path).contains("immutable", "max-age=31536000");
      else assertThat(cache).as(path).isEqualTo("no-cache");
    }
  }

  @Test
  void aKnownEtagIsAnswered304AndUnknownOrEscapingPathsAre404() {
    String etag = service.get("/ui/js/app.js").headers().firstValue("ETag").orElseThrow();
    assertThat(service.get("/ui/js/app.js", "If-None-Match", etag).statusCode()).isEqualTo(304);
    assertThat(service.get("/ui/js/app.js", "If-None-Match", "\"other\"").statusCode())
        .isEqualTo(200);

    for (String path :
        List.of(
            "/ui/nope.js",
            "/ui/..%2Fenv-vars.json",
            "/ui/%2E%2E/env-vars.json",
            "/ui/js/../../env-vars.json",
            "/ui/../logback.xml",
            "/ui/META-INF/MANIFEST.MF",
            "/ui/package.json")) {
      HttpResponse<String> response = service.get(path);
      assertThat(response.statusCode()).as(path).isIn(400, 404);
      assertThat(response.body())
          .as(path)
          .doesNotContain("\"variables\"", "<configuration", "Main-Class");
    }
  }

  @Test
  void examplesListsEveryJobOfTheExamplesFolderWithItsReadmeDescription() throws Exception {
    HttpResponse<String> response = service.get("/examples");
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode examples = Json.parse(response.body());

    List<String> files = new ArrayList<>();
    try (Stream<Path> list = Files.list(Path.of("examples"))) {
      list.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".json"))
          .sorted()
          .forEach(files::add);
    }
    assertThat(examples).extracting(e -> e.path("file").asText()).containsExactlyElementsOf(files);
    for (JsonNode example : examples) {
      JsonNode onDisk =
          Json.parse(Files.readAllBytes(Path.of("examples", example.path("file").asText())));
      assertThat(example.path("job")).isEqualTo(onDisk);
      assertThat(example.path("name").asText())
          .isEqualTo(example.path("file").asText().replace(".json", ""));
    }
    JsonNode research =
        examples.findParents("file").stream()
            .filter(e -> e.path("file").asText().equals("research-team.json"))
            .findFirst()
            .orElseThrow();
    assertThat(research.path("needs").asText()).isEqualTo("nothing (scripted provider)");
    assertThat(research.path("description").asText()).contains("orchestrator");
    assertThat(service.get("/deepagents-runtime/examples").body()).isEqualTo(response.body());
  }

  @Test
  void validateAnswersProblemsAtTheirPathsForADefinitionAndForAWholeJob() {
    String definition =
        "{\"nodes\": [{\"id\": \"a\", \"type\": \"boss\", \"config\": {\"name\": \"a\", \"system_prompt\": \"p\", \"tools\": [\"teleport\"]}}]}";
    JsonNode bare = validate("/definitions/validate", definition);
    assertThat(bare.path("valid").asBoolean()).isFalse();
    assertThat(bare.path("problems"))
        .extracting(p -> p.path("code").asText() + " " + p.path("path").asText())
        .contains("DEF_NODE_TYPE $.nodes[0].type", "DEF_TOOL_UNKNOWN $.nodes[0].config.tools[0]");

    ObjectNode job = TestJobs.threeStepScripted(TestJobs.newJobId());
    ((ObjectNode) job.path("agent_definition").path("nodes").get(0)).put("type", "boss");
    JsonNode whole = validate("/deepagents-runtime/definitions/validate", job.toString());
    assertThat(whole.path("valid").asBoolean()).isFalse();
    assertThat(whole.path("problems"))
        .extracting(p -> p.path("path").asText())
        .containsExactly("$.agent_definition.nodes[0].type");

    JsonNode valid =
        validate(
            "/definitions/validate", TestJobs.threeStepScripted(TestJobs.newJobId()).toString());
    assertThat(valid.path("valid").asBoolean()).isTrue();
    assertThat(valid.path("problems")).isEmpty();
    assertThat(validate("/definitions/validate", "{}").path("valid").asBoolean()).isTrue();
  }

  @Test
  void validateGivesTheSameProblemsAsTheCommandLineForEveryExample() throws Exception {
    for (Path file :
        List.of(Path.of("examples/research-team.json"), Path.of("examples/openai-haiku.json"))) {
      ObjectNode broken = (ObjectNode) Json.parse(Files.readAllBytes(file));
      broken.remove("job_id");
      JsonNode answer = validate("/definitions/validate", broken.toString());
      assertThat(answer.path("problems"))
          .extracting(p -> p.path("code").asText() + " " + p.path("path").asText())
          .containsExactly("JOB_FIELD_MISSING $.job_id");
    }
  }

  @Test
  void unreadableOrOversizedBodiesAreCodedErrorsNotValidationResults() {
    HttpResponse<String> notJson = service.post("/definitions/validate", "{\"nodes\": [");
    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(Json.parse(notJson.body()).path("problems").get(0).path("code").asText())
        .isEqualTo("BODY_NOT_JSON");

    service.close();
    service = ServiceHarness.start(Map.of("MAX_PAYLOAD_BYTES", "2048"));
    HttpResponse<String> large =
        service.post("/definitions/validate", "{\"x\": \"" + "a".repeat(5000) + "\"}");
    assertThat(large.statusCode()).isEqualTo(413);
    assertThat(Json.parse(large.body()).path("problems").get(0).path("code").asText())
        .isEqualTo("BODY_TOO_LARGE");
  }

  @Test
  void uiDisabledAnswers404ForThePageAndTheExamplesButStillValidates() {
    service.close();
    service = ServiceHarness.start(Map.of("UI_ENABLED", "false"));
    for (String path :
        List.of("/ui", "/ui/", "/ui/js/app.js", "/examples", "/deepagents-runtime/examples")) {
      assertThat(service.get(path).statusCode()).as(path).isEqualTo(404);
    }
    assertThat(validate("/definitions/validate", "{}").path("valid").asBoolean()).isTrue();
  }

  private JsonNode validate(String path, String body) {
    HttpResponse<String> response = service.post(path, body, "Content-Type", "application/json");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return Json.parse(response.body());
  }

  private static List<Path> uiFiles() throws Exception {
    try (Stream<Path> walk = Files.walk(Path.of("src/main/resources/ui"))) {
      // ui/package.json only tells Node that the scripts are modules: it is not packaged
      return walk.filter(Files::isRegularFile)
          .filter(f -> !f.endsWith(Path.of("src/main/resources/ui/package.json")))
          .sorted()
          .toList();
    }
  }
}
