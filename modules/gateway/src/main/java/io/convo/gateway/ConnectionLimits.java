package io.convo.gateway;

import io.convo.model.config.RecordConfig;
import java.util.List;
import java.util.Map;

/**
 * The connection limits of SPEC §7 as data, with the SPEC's defaults. Rates are per tumbling one-second window
 * aligned to the epoch second, like the topology's APS windows (SPEC §3): "110/s" means at most 110 admissions whose
 * gateway clock reads the same whole second.
 *
 * @param concurrentPerSubaccount        open connections of one subaccount
 * @param concurrentOverall              open connections of the whole account (all subaccounts), on one instance
 * @param connectsPerSecondPerSubaccount new or re-established connections of one subaccount per second
 * @param connectsPerSecondOverall       new or re-established connections of the account per second, on one instance
 * @param requestsPerSecondPerConnection upstream frames of one connection per second
 * @param requestsPerSecondPerSubaccount upstream frames of all connections of one subaccount per second
 * @param fullRetryAfterMs               the {@code Retry-After} of a refusal for a full concurrency limit, where
 *                                       no window tells when a slot frees
 */
public record ConnectionLimits(
        int concurrentPerSubaccount,
        int concurrentOverall,
        int connectsPerSecondPerSubaccount,
        int connectsPerSecondOverall,
        int requestsPerSecondPerConnection,
        int requestsPerSecondPerSubaccount,
        long fullRetryAfterMs) {

    /** Prefix of the keys that override a default, e.g. {@code convo.gateway.limits.concurrent-per-subaccount=7000}. */
    public static final String CONFIG_PREFIX = "convo.gateway.limits.";

    private static final RecordConfig<ConnectionLimits> CONFIG = new RecordConfig<>(ConnectionLimits.class, CONFIG_PREFIX);

    public ConnectionLimits {
        positive("concurrent-per-subaccount", concurrentPerSubaccount);
        positive("concurrent-overall", concurrentOverall);
        positive("connects-per-second-per-subaccount", connectsPerSecondPerSubaccount);
        positive("connects-per-second-overall", connectsPerSecondOverall);
        positive("requests-per-second-per-connection", requestsPerSecondPerConnection);
        positive("requests-per-second-per-subaccount", requestsPerSecondPerSubaccount);
        positive("full-retry-after-ms", fullRetryAfterMs);
    }

    /** SPEC §7: 7,000 / 100,000 concurrent; 110 / 1,000 new per second; 500 per connection / 20,000 per subaccount requests per second. */
    public static ConnectionLimits defaults() {
        return new ConnectionLimits(7_000, 100_000, 110, 1_000, 500, 20_000, 1_000);
    }

    /**
     * The defaults overridden by any {@code convo.gateway.limits.<name>} key; an unknown key under that prefix is an
     * error, so that a typo never leaves a default silently in force.
     */
    public static ConnectionLimits from(Map<String, String> config) {
        return CONFIG.from(config, defaults());
    }

    /** Every limit's key. */
    public static List<String> keys() {
        return CONFIG.keys();
    }

    private static void positive(String name, long value) {
        if (value <= 0 || value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(CONFIG_PREFIX + name + " must be between 1 and " + Integer.MAX_VALUE
                    + ", not " + value);
        }
    }
}
