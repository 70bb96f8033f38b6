package dev.layertrace.agent;

import dev.layertrace.ExitCode;
import dev.layertrace.LayertraceException;

/**
 * The agent could not be reached or did not say hello in time — as opposed to an agent that answered
 * and refused. A caller that can see the VMM may explain it (a paused VM freezes its agent too).
 */
public final class AgentUnreachable extends LayertraceException {
  private static final long serialVersionUID = 1L;

  AgentUnreachable(String message) {
    super(ExitCode.USAGE, message);
  }
}
