package dev.layertrace.docker;

/** A body that is not what the Docker Engine API returns (another server on the socket, a proxy's error page). */
public final class MalformedDockerResponse extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public MalformedDockerResponse(String message) {
    super(message);
  }

  public MalformedDockerResponse(String message, Throwable cause) {
    super(message, cause);
  }
}
