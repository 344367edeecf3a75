package dev.hearth.config.rest;

import dev.hearth.config.ApiKey;
import jakarta.enterprise.context.RequestScoped;

/** The admin key that authenticated the current request (set by {@link AdminAuthFilter}), for the audit log. */
@RequestScoped
public class AdminCaller {

    private ApiKey key;

    void set(ApiKey key) {
        this.key = key;
    }

    public ApiKey key() {
        return key;
    }

    /** How the audit log names the caller: its key id and user. */
    public String describe() {
        return key == null ? "nobody" : key.id() + " (user " + key.userId() + ")";
    }
}
