package dev.hearth.gateway.security;

/** The credentials are missing, unknown, revoked or expired: {@code unauthorized} (HTTP 401). */
public class AuthenticationException extends RuntimeException {

    public AuthenticationException(String message) {
        super(message, null, false, false);
    }
}
