package dev.agentexecutor.agent.tools;

import static dev.agentexecutor.agent.tools.ToolTestSupport.call;
import static dev.agentexecutor.agent.tools.ToolTestSupport.withFiles;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.re2j.Pattern;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Patterns from models cannot take exponential time or memory, and a search stops when interrupted
 * (issue 9.2).
 */
class SafeRegexTest {
  @Test
  @Timeout(value = 5, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void grepWithACatastrophicPatternFinishesAtOnce() {
    assertThat(
            call(
                    FileTools.grep(),
                    "{\"pattern\": \"(.*){30}x\"}",
                    withFiles("/a.txt", "a".repeat(40)))
                .output())
        .isEqualTo("No matches found");
    assertThat(
            call(
                    FileTools.grep(),
                    "{\"pattern\": \"(a+)+$\", \"output_mode\": \"count\"}",
                    withFiles("/a.txt", "a".repeat(5000) + "!"))
                .output())
        .isEqualTo("No matches found");
  }

  @Test
  @Timeout(value = 5, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void globWithManyStarsFinishesAtOnce() {
    String deep = "a".repeat(80);
    assertThat(
            call(
                    FileTools.glob(),
                    "{\"pattern\": \"*a*a*a*a*a*a*a*a*a*a*a*a*b\"}",
                    withFiles("/" + deep, "x"))
                .output())
        .isEqualTo("No files found");
  }

  @Test
  @Timeout(value = 5, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void refusesNestedRepetitionsThatWouldExhaustMemory() {
    assertThatThrownBy(
            () ->
                call(
                    FileTools.grep(),
                    "{\"pattern\": \"((a{1000}){1000}){1000}\"}",
                    withFiles("/a", "a")))
        .isInstanceOf(ToolException.class)
        .hasMessageContaining("the regex repeats too much");
    assertThatThrownBy(() -> SafeRegex.compile("(?:(?:(?:(?:a{10}){10}){10}){10})"))
        .isInstanceOf(ToolException.class)
        .hasMessageContaining("at most 1000");
  }

  @Test
  void weighsRepetitionsByHowTheyNest() {
    assertThat(SafeRegex.repetition("a{1000}b{1000}")).isEqualTo(1000);
    assertThat(SafeRegex.repetition("(a{10}){100}")).isEqualTo(1000);
    assertThat(SafeRegex.repetition("((a{10}|b{20}){5})+")).isEqualTo(100);
    assertThat(SafeRegex.repetition("\\d{4}-\\d{2}-\\d{2}")).isEqualTo(4);
    assertThat(SafeRegex.repetition("[{(]{3}\\{5}\\p{Greek}{2}")).isEqualTo(3);
    assertThat(SafeRegex.repetition("a{,5}x{")).isEqualTo(1); // literal braces
  }

  @Test
  void refusesOverlongPatternsAndReportsSyntaxErrors() {
    assertThatThrownBy(() -> SafeRegex.compile("a".repeat(1001)))
        .isInstanceOf(ToolException.class)
        .hasMessage("the regex has 1001 characters; the limit is 1000");
    assertThatThrownBy(() -> SafeRegex.compile("(unclosed"))
        .hasMessageStartingWith("invalid regex: ");
  }

  @Test
  @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aSearchStopsSoonAfterItsThreadIsInterrupted() throws Exception {
    Pattern slow = SafeRegex.compile("[ab]{1000}c");
    String text = "ab".repeat(2_000_000); // tens of seconds of work
    AtomicReference<Thread> worker = new AtomicReference<>();
    CompletableFuture<Throwable> ended = new CompletableFuture<>();
    Thread thread =
        Thread.ofPlatform()
            .start(
                () -> {
                  worker.set(Thread.currentThread());
                  try {
                    SafeRegex.find(slow, text);
                    ended.complete(null);
                  } catch (Throwable e) {
                    ended.complete(e);
                  }
                });
    Thread.sleep(200);
    long interrupted = System.nanoTime();
    thread.interrupt();

    Throwable outcome = ended.get(5, TimeUnit.SECONDS);
    assertThat((System.nanoTime() - interrupted) / 1_000_000).isLessThan(2000);
    assertThat(outcome).isInstanceOf(ToolException.class).hasMessage("the search was stopped");
  }
}
