package dev.agentexecutor;

import dev.agentexecutor.cli.MigrateCommand;
import dev.agentexecutor.cli.RunCommand;
import dev.agentexecutor.cli.ServeCommand;
import dev.agentexecutor.cli.ValidateDefinitionCommand;
import dev.agentexecutor.cli.VersionProvider;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The command line: serve (default), run, validate-definition, migrate. */
@Command(
    name = "agent-executor",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Durable, event-driven runtime for LLM deep agents.",
    subcommands = {
      ServeCommand.class,
      RunCommand.class,
      ValidateDefinitionCommand.class,
      MigrateCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  public static void main(String[] args) {
    String[] effective = args.length == 0 ? new String[] {"serve"} : args;
    int exit =
        new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).execute(effective);
    if (exit != 0 || !"serve".equals(effective[0])) System.exit(exit);
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
