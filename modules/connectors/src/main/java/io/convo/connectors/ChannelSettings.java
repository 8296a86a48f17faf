package io.convo.connectors;

import io.convo.model.Channel;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;

/**
 * The configuration as one channel's connector sees it: a per-channel name is read as
 * {@code convo.connector.<channel>.<name>}, then {@code convo.connector.<name>}, then the caller's default. A
 * custom {@link Transport} reads its own settings through it the same way.
 */
public final class ChannelSettings {

    private final Channel channel;
    private final Map<String, ?> config;

    public ChannelSettings(Channel channel, Map<String, ?> config) {
        this.channel = channel;
        this.config = Collections.unmodifiableMap(config);
    }

    public Channel channel() {
        return channel;
    }

    /** The whole configuration, e.g. for {@code ConvoSerdes.valueSerde} or a custom transport's own keys. */
    public Map<String, ?> config() {
        return config;
    }

    /** The channel's own key for {@code name}: {@code convo.connector.<channel>.<name>}. */
    public String keyFor(String name) {
        return ConnectorConfig.PREFIX + channel.name() + "." + name;
    }

    /** The key that supplied {@code name}'s value, for error messages: the channel's own key if set. */
    public String sourceKey(String name) {
        return config.get(keyFor(name)) != null ? keyFor(name) : ConnectorConfig.PREFIX + name;
    }

    /** The value of {@code name}, or null when neither the channel's key nor the all-channels key is set. */
    public String get(String name) {
        String own = ConnectorConfig.string(config, keyFor(name), null);
        return own != null ? own : ConnectorConfig.string(config, ConnectorConfig.PREFIX + name, null);
    }

    public String get(String name, String defaultValue) {
        String value = get(name);
        return value == null ? defaultValue : value;
    }

    /** The value of {@code name}, which must be set. */
    public String required(String name) {
        String value = get(name);
        if (value == null) {
            throw new ConfigException(keyFor(name), null, "required (or " + ConnectorConfig.PREFIX + name
                    + " for all channels)");
        }
        return value;
    }

    public long getLong(String name, long defaultValue, long min) {
        return ConnectorConfig.number(config, sourceKey(name), defaultValue, min);
    }

    public Duration getMillis(String name, long defaultMillis) {
        return Duration.ofMillis(getLong(name, defaultMillis, 0));
    }

    /** A decimal in {@code [min, max]}. */
    public double getDouble(String name, double defaultValue, double min, double max) {
        String value = get(name);
        if (value == null) {
            return defaultValue;
        }
        double parsed;
        try {
            parsed = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new ConfigException(sourceKey(name), value, "expected a number");
        }
        if (!(parsed >= min && parsed <= max)) {
            throw new ConfigException(sourceKey(name), value, "expected a number from " + min + " to " + max);
        }
        return parsed;
    }
}
