package dev.layertrace.lab;

/**
 * The VMM relay as {@code lab status} sees it.
 *
 * @param pid from the pidfile, or null when there is none
 * @param counters the last state the relay wrote, or null
 */
public record RelayStatus(Integer pid, ProcessState process, RelayCounters counters) {
  /** Whether the process behind the pidfile runs. */
  public enum ProcessState {
    /** Running and copying. */
    RUNNING,
    /** Alive but stopped (SIGSTOP): holds its taps open and copies nothing. */
    STOPPED,
    /** The pidfile names a process that is gone or is not our relay. */
    DEAD,
    /** No pidfile: the relay was never started or was stopped by {@code lab down}. */
    ABSENT
  }

  public static RelayStatus absent() {
    return new RelayStatus(null, ProcessState.ABSENT, null);
  }
}
