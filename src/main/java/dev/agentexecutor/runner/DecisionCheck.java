package dev.agentexecutor.runner;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentexecutor.agent.run.Decision;
import dev.agentexecutor.agent.run.Interrupt;
import dev.agentexecutor.core.problem.Problem;
import dev.agentexecutor.core.problem.ProblemCode;
import dev.agentexecutor.util.JsonSchemas;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Holds a resume's decisions to the job's pending interrupts: one per interrupt, in order, each of
 * a type the interrupt allows, and edited arguments that match the tool's {@code args_schema}.
 * Every fault is a {@code DECISIONS_INVALID} problem at the decision's JSON path.
 */
final class DecisionCheck {
  private DecisionCheck() {}

  /** The faults of {@code decisions} for {@code interrupts}; empty when they fit. */
  static List<Problem> problems(List<Interrupt> interrupts, List<Decision> decisions) {
    List<Problem> problems = new ArrayList<>();
    if (decisions.size() != interrupts.size()) {
      problems.add(
          problem(
              "$.decisions",
              "the job waits on "
                  + interrupts.size()
                  + " interrupt(s); give one decision for each, in order, not "
                  + decisions.size()));
      return problems;
    }
    for (int i = 0; i < decisions.size(); i++)
      check(interrupts.get(i), decisions.get(i), "$.decisions[" + i + "]", problems);
    return problems;
  }

  private static void check(
      Interrupt interrupt, Decision decision, String path, List<Problem> problems) {
    if (!interrupt.allowedDecisions().contains(decision.type())) {
      problems.add(
          problem(
              path + ".type",
              "'"
                  + decision.type()
                  + "' is not allowed for "
                  + interrupt.tool()
                  + " call "
                  + interrupt.toolCallId()
                  + " (allowed: "
                  + String.join(", ", interrupt.allowedDecisions())
                  + ")"));
      return;
    }
    if (decision instanceof Decision.Edit edit) checkArgs(interrupt, edit.args(), path, problems);
  }

  /** Edited arguments must match the tool's schema, as the model's own arguments would. */
  private static void checkArgs(
      Interrupt interrupt, JsonNode args, String path, List<Problem> problems) {
    JsonNode schema = interrupt.argsSchema();
    if (schema == null || !schema.isObject() || !JsonSchemas.schemaProblems(schema).isEmpty())
      return;
    for (String violation : JsonSchemas.compile(schema).violations(args)) {
      // A violation reads "$.field: message": it is placed under the decision's args.
      int colon = violation.indexOf(": ");
      String at = colon > 0 ? violation.substring(0, colon) : "$";
      String message = colon > 0 ? violation.substring(colon + 2) : violation;
      problems.add(problem(path + ".args" + at.substring(1), message));
    }
  }

  /** The decisions keyed by interrupt id, as the run takes them. */
  static Map<String, Decision> byInterruptId(List<Interrupt> interrupts, List<Decision> decisions) {
    Map<String, Decision> byId = new LinkedHashMap<>();
    for (int i = 0; i < interrupts.size(); i++) byId.put(interrupts.get(i).id(), decisions.get(i));
    return byId;
  }

  private static Problem problem(String path, String message) {
    return new Problem(ProblemCode.DECISIONS_INVALID, path, message);
  }
}
