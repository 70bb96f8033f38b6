package dev.layertrace.web;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * A request the server refuses, with the status and the one-line message sent back as
 * {@code {"error": "..."}}. Thrown by handlers, turned into a response by {@link RequestRouter}.
 */
public class ApiError extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient HttpResponseStatus status;

  public ApiError(HttpResponseStatus status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  public HttpResponseStatus status() {
    return status;
  }

  public static ApiError badRequest(String message) {
    return new ApiError(HttpResponseStatus.BAD_REQUEST, message);
  }

  public static ApiError notFound(String message) {
    return new ApiError(HttpResponseStatus.NOT_FOUND, message);
  }

  public static ApiError forbidden(String message) {
    return new ApiError(HttpResponseStatus.FORBIDDEN, message);
  }
}
