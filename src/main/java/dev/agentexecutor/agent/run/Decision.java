package dev.agentexecutor.agent.run;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A person's answer to an {@link Interrupt}, as the wire has it ({@code {"type": "approve"}},
 * {@code {"type": "edit", "args": {...}}}, {@code {"type": "reject", "message": "..."}}): approve
 * runs the call as asked, edit runs it with other arguments, reject runs nothing and tells the
 * model why.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = Decision.Approve.class, name = Decision.APPROVE),
  @JsonSubTypes.Type(value = Decision.Edit.class, name = Decision.EDIT),
  @JsonSubTypes.Type(value = Decision.Reject.class, name = Decision.REJECT)
})
public sealed interface Decision {
  String APPROVE = "approve";
  String EDIT = "edit";
  String REJECT = "reject";

  /** Every decision type, in deepagents' order. */
  List<String> TYPES = List.of(APPROVE, EDIT, REJECT);

  /** The wire name of this decision's type. */
  @JsonIgnore
  String type();

  record Approve() implements Decision {
    @Override
    public String type() {
      return APPROVE;
    }
  }

  record Edit(ObjectNode args) implements Decision {
    @Override
    public String type() {
      return EDIT;
    }
  }

  /** {@code message} may be null: the model is then told only that the call was rejected. */
  record Reject(String message) implements Decision {
    @Override
    public String type() {
      return REJECT;
    }
  }
}
