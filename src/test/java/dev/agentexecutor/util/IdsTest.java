package dev.agentexecutor.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class IdsTest {
  @Test
  void randomIdsAreVersionFourUuidsAndDoNotRepeat() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 50_000; i++) {
      String id = Ids.uuid();
      UUID uuid = UUID.fromString(id);
      assertThat(uuid.version()).isEqualTo(4);
      assertThat(uuid.variant()).isEqualTo(2);
      assertThat(seen.add(id)).as("repeated id %s", id).isTrue();
    }
  }

  @Test
  void timeOrderedIdsAreVersionSevenAndStrictlyIncreasingAcrossThreads() throws Exception {
    List<String> ids = java.util.Collections.synchronizedList(new ArrayList<>());
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++)
      threads.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    for (int i = 0; i < 5_000; i++) ids.add(Ids.timeOrdered());
                  }));
    for (Thread thread : threads) thread.join();
    List<String> sorted = new ArrayList<>(ids);
    sorted.sort(null);

    assertThat(new HashSet<>(ids)).hasSize(ids.size());
    assertThat(UUID.fromString(sorted.getFirst()).version()).isEqualTo(7);
    String previous = "";
    for (String id : single()) {
      assertThat(id).isGreaterThan(previous);
      previous = id;
    }
  }

  /** Ids made one after another on one thread, in the order they were made. */
  private static List<String> single() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) ids.add(Ids.timeOrdered());
    return ids;
  }
}
