package dev.agentexecutor.cli;

import dev.agentexecutor.observability.BuildInfo;
import picocli.CommandLine;

/** Version and commit from the jar manifest ("dev" and "unknown" when run from classes). */
public final class VersionProvider implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {"agent-executor " + BuildInfo.current().describe()};
  }
}
