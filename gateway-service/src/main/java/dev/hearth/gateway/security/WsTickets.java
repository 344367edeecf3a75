package dev.hearth.gateway.security;

import dev.hearth.gateway.config.SecurityConfig;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.quarkus.redis.datasource.value.SetArgs;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Short-lived, single-use WebSocket tickets for browsers, which cannot put an Authorization header
 * on a WebSocket. A ticket is 32 random bytes (base64url); Redis holds it under
 * {@code <prefix>ticket:<sha256(ticket)>} with a TTL, so any gateway replica can redeem it, once
 * (GETDEL).
 *
 * <p>What Redis holds is the API key the ticket was issued for, encrypted (AES-256-GCM) with a key
 * derived from the ticket itself: whoever reads Redis learns nothing usable, and the connection it
 * opens holds the real key, so it is re-verified on revocation like a connection that sent the key
 * in a header.
 */
@ApplicationScoped
public class WsTickets {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern TICKET = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final byte[] KEY_CONTEXT = "hearth ws-ticket v1".getBytes(StandardCharsets.US_ASCII);
    private static final int IV_BYTES = 12;

    private final ReactiveValueCommands<String, String> values;
    private final String prefix;
    private final SecurityConfig config;

    public WsTickets(ReactiveRedisDataSource redis, @ConfigProperty(name = "hearth.redis.prefix") String prefix,
            SecurityConfig config) {
        this.values = redis.value(String.class, String.class);
        this.prefix = prefix;
        this.config = config;
    }

    /** Seconds a ticket lives. */
    public long ttlSeconds() {
        return Math.max(1, config.ticketTtl().toSeconds());
    }

    /** A new ticket standing for {@code apiKey} (already authenticated by the caller). */
    public Uni<String> issue(String apiKey) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String ticket = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        String sealed = seal(secret, redisKey(ticket), apiKey);
        return values.set(redisKey(ticket), sealed, new SetArgs().px(config.ticketTtl()))
                .onFailure().transform(f -> new AuthUnavailableException("tickets cannot be stored now", f))
                .replaceWith(ticket);
    }

    /** A ticket that only looks like one; for clients of a gateway without authentication. */
    public String unbound() {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    /**
     * The API key behind {@code ticket}, consuming it. Fails with {@link AuthenticationException}
     * when the ticket is malformed, unknown, expired or used.
     */
    public Uni<String> redeem(String ticket) {
        if (ticket == null || !TICKET.matcher(ticket).matches()) {
            return Uni.createFrom().failure(new AuthenticationException("invalid ticket"));
        }
        String key = redisKey(ticket);
        return values.getdel(key)
                .onFailure().transform(f -> new AuthUnavailableException("tickets cannot be read now", f))
                .map(sealed -> {
                    if (sealed == null) {
                        throw new AuthenticationException("ticket unknown, expired or already used");
                    }
                    return open(Base64.getUrlDecoder().decode(ticket), key, sealed);
                });
    }

    String redisKey(String ticket) {
        return prefix + "ticket:" + ApiKeyAuthenticator.sha256(ticket);
    }

    private static String seal(byte[] secret, String redisKey, String apiKey) {
        try {
            byte[] iv = new byte[IV_BYTES];
            RANDOM.nextBytes(iv);
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, secret, iv, redisKey);
            byte[] body = cipher.doFinal(apiKey.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(ByteBuffer.allocate(iv.length + body.length).put(iv).put(body).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        }
    }

    private static String open(byte[] secret, String redisKey, String sealed) {
        try {
            byte[] bytes = Base64.getDecoder().decode(sealed);
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, secret, java.util.Arrays.copyOf(bytes, IV_BYTES), redisKey);
            return new String(cipher.doFinal(bytes, IV_BYTES, bytes.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new AuthenticationException("invalid ticket");
        }
    }

    private static Cipher cipher(int mode, byte[] secret, byte[] iv, String redisKey) throws GeneralSecurityException {
        // The ticket is 256 random bits, so one hash (with a context, unlike the Redis key's) is a sound KDF.
        byte[] material = ByteBuffer.allocate(KEY_CONTEXT.length + secret.length).put(KEY_CONTEXT).put(secret).array();
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, new SecretKeySpec(ApiKeyAuthenticator.digest(material), "AES"), new GCMParameterSpec(128, iv));
        // Bound to its Redis entry: a value copied under another ticket's name does not open.
        cipher.updateAAD(redisKey.getBytes(StandardCharsets.UTF_8));
        return cipher;
    }
}
