package dev.agentexecutor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.agent.run.Decision;
import dev.agentexecutor.util.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Asks a person on the terminal for a decision on each interrupt of a parked run: approve, edit
 * (the new arguments as one line of JSON) or reject (a reason), among those the interrupt allows.
 */
final class DecisionPrompt {
  private final BufferedReader in;
  private final PrintStream out;

  DecisionPrompt(BufferedReader in, PrintStream out) {
    this.in = in;
    this.out = out;
  }

  /** The interrupts as the run command shows them before it asks (or exits). */
  static void print(PrintStream out, JsonNode interrupts) {
    out.println("== waiting for approval: " + interrupts.size() + " tool call(s) ==");
    int n = 1;
    for (JsonNode interrupt : interrupts) {
      out.println(
          "["
              + n++
              + "] "
              + interrupt.path("node").asText()
              + " wants "
              + interrupt.path("tool").asText()
              + " "
              + interrupt.path("args"));
      out.println("    " + interrupt.path("description").asText());
    }
  }

  /** One decision per interrupt, in order; empty when the input ended first. */
  Optional<List<Decision>> ask(JsonNode interrupts) throws IOException {
    List<Decision> decisions = new ArrayList<>();
    int n = 1;
    for (JsonNode interrupt : interrupts) {
      Optional<Decision> decision = askOne(n++, interrupt);
      if (decision.isEmpty()) return Optional.empty();
      decisions.add(decision.get());
    }
    return Optional.of(decisions);
  }

  private Optional<Decision> askOne(int n, JsonNode interrupt) throws IOException {
    List<String> allowed = new ArrayList<>();
    interrupt.path("allowed_decisions").forEach(d -> allowed.add(d.asText()));
    while (true) {
      out.print("[" + n + "] " + String.join(" / ", allowed) + "? ");
      out.flush();
      String line = in.readLine();
      if (line == null) return Optional.empty();
      String type = typeOf(line.strip(), allowed);
      if (type == null) {
        out.println("    answer one of: " + String.join(", ", allowed) + " (or its first letter)");
        continue;
      }
      Optional<Decision> decision =
          switch (type) {
            case Decision.EDIT -> edit();
            case Decision.REJECT -> reject();
            default -> Optional.of(new Decision.Approve());
          };
      if (decision.isPresent()) return decision;
    }
  }

  private static String typeOf(String answer, List<String> allowed) {
    for (String type : allowed)
      if (!answer.isEmpty() && (type.equals(answer) || type.startsWith(answer))) return type;
    return null;
  }

  /** The new arguments; empty (ask again) when they are not a JSON object. */
  private Optional<Decision> edit() throws IOException {
    out.print("    new arguments (one line of JSON): ");
    out.flush();
    String line = in.readLine();
    if (line == null) return Optional.empty();
    try {
      JsonNode args = Json.parse(line);
      if (args.isObject()) return Optional.of(new Decision.Edit((ObjectNode) args));
    } catch (RuntimeException e) {
      // told below
    }
    out.println("    not a JSON object; choose again");
    return Optional.empty();
  }

  private Optional<Decision> reject() throws IOException {
    out.print("    reason (told to the model; empty for none): ");
    out.flush();
    String line = in.readLine();
    return Optional.of(new Decision.Reject(line == null || line.isBlank() ? null : line.strip()));
  }
}
