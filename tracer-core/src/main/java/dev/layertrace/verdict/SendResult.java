package dev.layertrace.verdict;

/**
 * Whether the source kernel accepted the probe: {@code sendto(2)} on the raw socket either sent it
 * or failed with an errno before any packet existed (ENETUNREACH without a route, EMSGSIZE for DF
 * over the MTU).
 *
 * @param errno the errno symbol ({@code ENETUNREACH}) or null when sent
 */
public record SendResult(String errno, String message) {
  public static final SendResult SENT = new SendResult(null, null);

  public static SendResult failed(String errno, String message) {
    return new SendResult(java.util.Objects.requireNonNull(errno), message);
  }

  public boolean sent() {
    return errno == null;
  }
}
