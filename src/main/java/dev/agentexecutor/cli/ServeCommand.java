package dev.agentexecutor.cli;

import dev.agentexecutor.Application;
import dev.agentexecutor.config.Settings;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import sun.misc.Signal;

/** serve: runs the service until SIGTERM or SIGINT, then drains and exits 0. */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Start the service (HTTP on $PORT, NATS worker when NATS_URL is set). Configuration comes from environment variables; see the README.")
public final class ServeCommand implements Callable<Integer> {
  @Override
  public Integer call() throws InterruptedException {
    Optional<Settings> settings = CommandSettings.load(true);
    if (settings.isEmpty()) return CommandSettings.BAD_CONFIGURATION;
    Application app = Application.start(settings.get());
    CountDownLatch stopped = new CountDownLatch(1);
    Runnable stop = () -> {
      app.close();
      stopped.countDown();
    };
    // A signal handler rather than a shutdown hook, so that a drained SIGTERM exits with 0.
    Signal.handle(new Signal("TERM"), signal -> Thread.ofPlatform().name("shutdown").start(stop));
    Signal.handle(new Signal("INT"), signal -> Thread.ofPlatform().name("shutdown").start(stop));
    stopped.await();
    System.exit(0);
    return 0;
  }
}
