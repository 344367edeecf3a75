package dev.hearth.config.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Makes API keys and their public ids, and hashes keys for storage.
 *
 * <p>A key is {@code hk_} + 43 base64url characters: 32 bytes (256 bits) from {@link SecureRandom}.
 * With that much entropy nothing can be guessed, so a plain SHA-256 is the right hash (a slow
 * password hash such as bcrypt only protects low-entropy secrets) and a key is found by looking
 * its hash up. deploy/launcher makes its bootstrap key in the same format.
 */
@ApplicationScoped
public class ApiKeyGenerator {

    public static final String KEY_PREFIX = "hk_";
    /** How many leading characters of a key are kept to tell keys apart ({@code hk_} + 7). */
    public static final int DISPLAY_PREFIX_LENGTH = 10;
    static final int KEY_BYTES = 32;
    static final int ID_LENGTH = 12;
    private static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

    // Created at runtime (a bean, not a static): a native image must not freeze a seeded generator.
    private final SecureRandom random = new SecureRandom();

    public String newKey() {
        byte[] bytes = new byte[KEY_BYTES];
        random.nextBytes(bytes);
        return KEY_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** {@code k_} + 12 base62 characters (71 bits): public, only unique. */
    public String newId() {
        StringBuilder id = new StringBuilder("k_");
        for (int i = 0; i < ID_LENGTH; i++) {
            id.append(BASE62[random.nextInt(BASE62.length)]);
        }
        return id.toString();
    }

    /** Lower-case hex SHA-256 of the key's UTF-8 bytes: what the database stores and looks up. */
    public static String hash(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    public static String displayPrefix(String key) {
        return key.substring(0, Math.min(DISPLAY_PREFIX_LENGTH, key.length()));
    }
}
