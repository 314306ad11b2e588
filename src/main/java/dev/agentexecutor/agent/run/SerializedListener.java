package dev.agentexecutor.agent.run;

import dev.agentexecutor.core.state.AgentState;
import dev.agentexecutor.core.state.ToolCall;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A listener whose calls are made one at a time: parallel tool calls and subagents report from
 * their own threads, and listeners (the runner's event stream) need not be thread-safe. A lock, not
 * {@code synchronized}, so that a virtual thread waiting for it does not pin its carrier.
 */
final class SerializedListener implements RunListener {
  private final RunListener delegate;
  private final ReentrantLock lock = new ReentrantLock();

  SerializedListener(RunListener delegate) {
    this.delegate = delegate;
  }

  @Override
  public void onStateUpdate(AgentState state) {
    lock.lock();
    try {
      delegate.onStateUpdate(state);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void onToken(Origin origin, String token) {
    lock.lock();
    try {
      delegate.onToken(origin, token);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void onToolStart(Origin origin, ToolCall call) {
    lock.lock();
    try {
      delegate.onToolStart(origin, call);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void onToolEnd(Origin origin, ToolCall call, ToolResult result) {
    lock.lock();
    try {
      delegate.onToolEnd(origin, call, result);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void onSubagentStart(Origin subagent, String subagentType, String description) {
    lock.lock();
    try {
      delegate.onSubagentStart(subagent, subagentType, description);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void onSubagentEnd(Origin subagent, String status) {
    lock.lock();
    try {
      delegate.onSubagentEnd(subagent, status);
    } finally {
      lock.unlock();
    }
  }
}
