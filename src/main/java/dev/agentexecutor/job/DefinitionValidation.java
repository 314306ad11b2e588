package dev.agentexecutor.job;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentexecutor.agent.definition.DefinitionParser;
import dev.agentexecutor.core.problem.Problem;
import java.util.List;

/**
 * The one check behind the {@code validate-definition} command and {@code POST
 * /definitions/validate}: a document with an {@code agent_definition} is validated as a whole job
 * (as intake does), any other document as a bare agent definition.
 */
public final class DefinitionValidation {
  private DefinitionValidation() {}

  /** Every problem of {@code document} with its JSON path; empty when it is valid. */
  public static List<Problem> problems(JsonNode document, JobParser parser) {
    if (document != null && document.has("agent_definition")) {
      try {
        parser.job(document);
        return List.of();
      } catch (InvalidJobException e) {
        return e.problems();
      }
    }
    return DefinitionParser.problems(document, "$");
  }

  /** The same with the default input limits (the command line has no settings to go by). */
  public static List<Problem> problems(JsonNode document) {
    return problems(document, JobParser.withDefaultLimits(Long.MAX_VALUE));
  }

  /**
   * The JSON of a request body under intake's parsing limits; an {@link InvalidJobException}
   * otherwise.
   */
  public static JsonNode parseBody(byte[] body) {
    return JsonBody.parse(body, "$");
  }
}
