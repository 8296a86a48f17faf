package io.convo.connectors;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import org.apache.kafka.common.config.ConfigException;

/** Builds the transport a channel's {@value ConnectorConfig#TRANSPORT} setting names. */
public final class Transports {

    public static final String LOG = "log";
    public static final String WEBHOOK = "webhook";

    private Transports() {
    }

    /**
     * {@code log}, {@code webhook}, or the class name of a {@link Transport} with a public constructor taking a
     * {@link ChannelSettings}.
     *
     * @throws ConfigException when the named transport cannot be built from the config
     */
    public static Transport create(ChannelSettings settings) {
        String name = settings.get(ConnectorConfig.TRANSPORT, ConnectorConfig.DEFAULT_TRANSPORT);
        return switch (name) {
            case LOG -> new LogTransport(settings);
            case WEBHOOK -> new WebhookTransport(settings);
            default -> custom(settings, name);
        };
    }

    private static Transport custom(ChannelSettings settings, String className) {
        String key = settings.sourceKey(ConnectorConfig.TRANSPORT);
        Class<?> type;
        try {
            type = Class.forName(className, true, Transports.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new ConfigException(key, className, "expected log, webhook or the class name of a "
                    + Transport.class.getName() + " on the classpath");
        }
        if (!Transport.class.isAssignableFrom(type)) {
            throw new ConfigException(key, className, "does not implement " + Transport.class.getName());
        }
        try {
            Constructor<?> constructor = type.getConstructor(ChannelSettings.class);
            return (Transport) constructor.newInstance(settings);
        } catch (NoSuchMethodException e) {
            throw new ConfigException(key, className, "needs a public constructor taking a " + ChannelSettings.class.getName());
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ConfigException config) {
                throw config;
            }
            throw new ConfigException(key, className, "constructor failed: " + cause);
        } catch (ReflectiveOperationException e) {
            throw new ConfigException(key, className, "cannot be instantiated: " + e);
        }
    }
}
