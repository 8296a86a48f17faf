package io.convo.model.config;

import java.util.List;

/**
 * The topic keys every part of convo shares (the topology, the connectors, the gateway and the tools), so that they
 * name, create and find the same topics.
 */
public final class TopicsConfig {

    public static final ConfigKey<String> PREFIX = ConfigKey.text("convo.topics.prefix", "",
            "Put before every topic name.");
    public static final ConfigKey<Integer> PARTITIONS = ConfigKey.integer("convo.topics.partitions", 4,
            "Partitions of the topics convo creates.");
    public static final ConfigKey<Short> REPLICATION_FACTOR = ConfigKey.shortInteger("convo.topics.replication.factor",
            (short) 1, "Replication factor of the topics convo creates (use 3 on a real cluster).");

    public static final List<ConfigKey<?>> KEYS = List.of(PREFIX, PARTITIONS, REPLICATION_FACTOR);

    private TopicsConfig() {
    }
}
