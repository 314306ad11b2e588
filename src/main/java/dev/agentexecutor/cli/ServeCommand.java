package dev.agentexecutor.cli;

import dev.agentexecutor.app.Application;
import dev.agentexecutor.config.Settings;
import dev.agentexecutor.observability.BuildInfo;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;

/** serve: runs the service until SIGTERM or SIGINT, then drains and exits 0. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description =
        "Start the service (HTTP on $PORT, NATS worker when NATS_URL is set). Configuration comes from environment variables; see the README.")
public final class ServeCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);

  @Override
  public Integer call() throws InterruptedException {
    Optional<Settings> settings = CommandSettings.load(true);
    if (settings.isEmpty()) return CommandSettings.BAD_CONFIGURATION;
    log.info("agent-executor {} starting", BuildInfo.current().describe());
    Application app = Application.start(settings.get());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(Thread.ofPlatform().name("shutdown").unstarted(() -> stop(app, stopped)));
    stopped.await();
    return 0;
  }

  /**
   * The shutdown hook (SIGTERM, SIGINT): the ordered graceful close, run to its end here because
   * the JVM halts as soon as its hooks return. A completed drain then exits 0 instead of the
   * 128+signal status the JVM would report, so the orchestrator sees a clean stop.
   */
  static void stop(Application app, CountDownLatch stopped) {
    int status = 0;
    try {
      app.close();
    } catch (RuntimeException e) {
      log.error("graceful shutdown failed", e);
      status = 1;
    }
    stopped.countDown();
    Runtime.getRuntime().halt(status);
  }
}
