package dev.agentexecutor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The service uses only supported JDK APIs: shutdown goes through a Runtime shutdown hook (its
 * SIGTERM drain is proven end to end by CrashRecoveryTest and PackagedJarIT), not sun.misc.Signal.
 */
class SupportedApisTest {
  @Test
  void noMainSourceUsesInternalJdkApis() throws IOException {
    try (Stream<Path> sources = Files.walk(Path.of("src/main/java"))) {
      List<String> offenders =
          sources
              .filter(p -> p.toString().endsWith(".java"))
              .filter(p -> read(p).matches("(?s).*\\b(sun\\.misc|jdk\\.internal)\\..*"))
              .map(Path::toString)
              .toList();
      assertThat(offenders).isEmpty();
    }
  }

  @Test
  void serveStopsThroughAShutdownHook() throws IOException {
    assertThat(read(Path.of("src/main/java/dev/agentexecutor/cli/ServeCommand.java")))
        .contains("addShutdownHook");
  }

  private static String read(Path path) {
    try {
      return Files.readString(path);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
