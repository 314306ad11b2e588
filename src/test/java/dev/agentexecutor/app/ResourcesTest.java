package dev.agentexecutor.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the service opened closes in reverse order, whatever fails on the way. */
class ResourcesTest {
  @Test
  void closesInReverseOrderOfOpeningAndGoesOnWhenOneFails() {
    List<String> closed = new ArrayList<>();
    Resources resources = new Resources();
    resources.add("tracing", () -> closed.add("tracing"));
    resources.add("backends", () -> closed.add("backends"));
    resources.add(
        "model",
        () -> {
          closed.add("model");
          throw new IllegalStateException("cannot close");
        });
    resources.add("http", () -> closed.add("http"));

    resources.close();

    assertThat(closed).containsExactly("http", "model", "backends", "tracing");
    resources.close();
    assertThat(closed).as("closed once").hasSize(4);
  }
}
