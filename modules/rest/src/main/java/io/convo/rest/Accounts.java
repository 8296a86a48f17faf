package io.convo.rest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Who may call the REST API: accounts (account sid and auth token) and API keys (key sid and secret, acting for an
 * account), from the configuration, checked with HTTP Basic auth as Twilio does. An account owns its default service
 * and any service configured for it, and sees and changes nothing else.
 */
final class Accounts {

    /** An authenticated caller's account. */
    record Account(String sid, String defaultService, Set<String> services) {
        boolean owns(String serviceSid) {
            return services.contains(serviceSid);
        }
    }

    private record Secret(String value, String accountSid) {
    }

    private final Map<String, Secret> secrets = new HashMap<>();
    private final Map<String, Account> accounts = new HashMap<>();

    /**
     * @throws IllegalArgumentException naming the key and the entry when an entry is malformed
     */
    static Accounts from(Properties config) {
        Accounts a = new Accounts();
        Map<String, Set<String>> services = new HashMap<>();
        for (String entry : entries(RestConfig.ACCOUNTS.from(config))) {
            String[] parts = split(RestConfig.ACCOUNTS.name(), entry, 2);
            requireSid(RestConfig.ACCOUNTS.name(), "AC", parts[0]);
            a.secrets.put(parts[0], new Secret(parts[1], parts[0]));
            services.computeIfAbsent(parts[0], s -> new LinkedHashSet<>()).add(TwilioSids.defaultService(parts[0]));
        }
        for (String entry : entries(RestConfig.API_KEYS.from(config))) {
            String[] parts = split(RestConfig.API_KEYS.name(), entry, 3);
            requireSid(RestConfig.API_KEYS.name(), "SK", parts[0]);
            requireAccount(services, RestConfig.API_KEYS.name(), parts[2]);
            a.secrets.put(parts[0], new Secret(parts[1], parts[2]));
        }
        for (String entry : entries(RestConfig.SERVICES.from(config))) {
            String[] parts = split(RestConfig.SERVICES.name(), entry, 2);
            requireAccount(services, RestConfig.SERVICES.name(), parts[0]);
            requireSid(RestConfig.SERVICES.name(), TwilioSids.SERVICE, parts[1]);
            services.get(parts[0]).add(parts[1]);
        }
        services.forEach((sid, owned) -> a.accounts.put(sid, new Account(sid, TwilioSids.defaultService(sid),
                Set.copyOf(owned))));
        return a;
    }

    boolean isEmpty() {
        return accounts.isEmpty();
    }

    /** The account of an {@code Authorization: Basic …} header's credentials, or null when they are not valid. */
    Account authenticate(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return null;
        }
        Secret secret = secrets.get(decoded.substring(0, colon));
        if (secret == null || !MessageDigest.isEqual(secret.value().getBytes(StandardCharsets.UTF_8),
                decoded.substring(colon + 1).getBytes(StandardCharsets.UTF_8))) {
            return null;
        }
        return accounts.get(secret.accountSid());
    }

    private static String[] entries(String list) {
        return list == null || list.isBlank() ? new String[0] : list.trim().split("\\s*,\\s*");
    }

    private static String[] split(String key, String entry, int parts) {
        String[] split = entry.split(":", parts);
        if (split.length != parts || Arrays.stream(split).anyMatch(String::isBlank)) {
            throw new IllegalArgumentException(key + ": '" + entry.replaceAll(":[^:]*", ":…") + "' is not "
                    + (parts == 2 ? "two" : "three") + " non-empty parts separated by ':'");
        }
        return split;
    }

    private static void requireSid(String key, String prefix, String sid) {
        if (!TwilioSids.is(prefix, sid)) {
            throw new IllegalArgumentException(key + ": '" + sid + "' is not " + prefix + " and 32 hex digits");
        }
    }

    private static void requireAccount(Map<String, Set<String>> accounts, String key, String sid) {
        if (!accounts.containsKey(sid)) {
            throw new IllegalArgumentException(key + ": account " + sid + " is not in " + RestConfig.ACCOUNTS.name());
        }
    }
}
