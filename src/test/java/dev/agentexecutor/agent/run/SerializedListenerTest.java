package dev.agentexecutor.agent.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The serialising wrapper the loop puts around every listener. */
class SerializedListenerTest {
  @Test
  void forwardsEveryMethodOfTheListener() {
    // A listener method the wrapper does not override would reach no listener at all.
    for (Method method : RunListener.class.getDeclaredMethods()) {
      if (Modifier.isStatic(method.getModifiers())) continue;
      assertThat(
              Arrays.stream(SerializedListener.class.getDeclaredMethods())
                  .anyMatch(
                      m ->
                          m.getName().equals(method.getName())
                              && Arrays.equals(m.getParameterTypes(), method.getParameterTypes())))
          .as("SerializedListener forwards " + method)
          .isTrue();
    }
  }

  @Test
  void wrapsOnceAndLeavesTheSilentListenerAlone() {
    RunListener listener = new RunListener() {};
    RunListener wrapped = RunListener.serialized(listener);

    assertThat(RunListener.serialized(wrapped)).isSameAs(wrapped);
    assertThat(RunListener.serialized(RunListener.NONE)).isSameAs(RunListener.NONE);
  }
}
