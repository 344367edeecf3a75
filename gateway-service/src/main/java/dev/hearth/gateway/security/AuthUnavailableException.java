package dev.hearth.gateway.security;

/**
 * The credentials could not be checked (mcp-config-service or Redis unreachable, too slow): HTTP
 * 503. Nobody is let in on a guess.
 */
public class AuthUnavailableException extends RuntimeException {

    public AuthUnavailableException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
