package dev.hearth.gateway.security;

/** Authenticated, but not allowed to do this (scope, origin): {@code forbidden} (HTTP 403). */
public class PermissionException extends RuntimeException {

    public PermissionException(String message) {
        super(message, null, false, false);
    }
}
