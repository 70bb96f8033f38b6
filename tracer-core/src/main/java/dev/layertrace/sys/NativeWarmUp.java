package dev.layertrace.sys;

/**
 * Makes the libc binding on a thread of its own. jnr-ffi generates and loads the binding's classes the
 * first time {@link Native} is used, which costs a cold process about 0.2 s: a command that will enter
 * namespaces starts this first, so that the binding is ready (or nearly) by the time the command
 * parsed its arguments and listed the namespaces. Using {@link Native} meanwhile simply waits for it.
 */
public final class NativeWarmUp {
  private NativeWarmUp() {}

  /** Starts loading the binding in the background; returns at once. */
  public static void start() {
    Thread t = new Thread(NativeWarmUp::load, "layertrace-native-init");
    t.setDaemon(true);
    t.start();
  }

  private static void load() {
    try {
      Native.LIBC.getClass();
    } catch (RuntimeException | LinkageError e) {
      // a binding that cannot be made fails again where it is used, and is reported there
    }
  }
}
