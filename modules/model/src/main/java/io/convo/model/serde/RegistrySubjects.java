package io.convo.model.serde;

import io.apicurio.registry.resolver.SchemaLookupResult;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.apicurio.registry.serde.config.SerdeConfig;
import io.apicurio.registry.serde.data.SerdeMetadata;
import io.apicurio.registry.serde.data.SerdeRecord;
import io.convo.model.CommandRejected;
import io.convo.model.ConversationCommand;
import io.convo.model.ConversationEvent;
import io.convo.model.Delivery;
import io.convo.model.DeliveryReceipt;
import io.convo.model.ServiceCommand;
import io.convo.model.ServiceEvent;
import io.convo.model.TopicNames;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Registers the value schema of every public topic under its own subject ({@code <topic>-value}) before anything is
 * written, so that a client looking a schema up by subject finds it: also {@code conversation-commands-value}, which
 * convo never writes itself, and {@code delivery-chat-value} before the first chat message. It registers through
 * Apicurio's own serializer, so the content, and therefore the schema id, is the one convo's records carry.
 */
public final class RegistrySubjects {

    private RegistrySubjects() {
    }

    /** The record type of each public topic's values, in the order of SPEC §1. */
    public static Map<String, Class<? extends SpecificRecord>> valueTypes(TopicNames names) {
        Map<String, Class<? extends SpecificRecord>> types = new LinkedHashMap<>();
        types.put(names.conversationCommands(), ConversationCommand.class);
        types.put(names.serviceCommands(), ServiceCommand.class);
        types.put(names.conversationEvents(), ConversationEvent.class);
        types.put(names.serviceEvents(), ServiceEvent.class);
        types.put(names.commandRejections(), CommandRejected.class);
        types.put(names.deliveryChat(), Delivery.class);
        types.put(names.deliverySms(), Delivery.class);
        types.put(names.deliveryMms(), Delivery.class);
        types.put(names.deliveryWhatsapp(), Delivery.class);
        types.put(names.deliveryReceipts(), DeliveryReceipt.class);
        return types;
    }

    /**
     * Whether convo should register the subjects itself: the registry serde is selected and Apicurio's
     * auto-registration is not turned off ({@code apicurio.registry.auto-register=false} means the schemas are
     * managed elsewhere).
     */
    public static boolean applies(Map<String, ?> config) {
        Object serde = config.get(ConvoSerdes.SERDE_CONFIG);
        if (serde == null || !ConvoSerdes.REGISTRY.equals(String.valueOf(serde).trim())) {
            return false;
        }
        Object auto = config.get(SerdeConfig.AUTO_REGISTER_ARTIFACT);
        return auto == null || !"false".equalsIgnoreCase(String.valueOf(auto).trim());
    }

    /**
     * Registers (or finds) each topic's value schema under {@code <topic>-value}; idempotent.
     *
     * @return the schema id (the registry's content id) of each subject, by topic
     * @throws org.apache.kafka.common.KafkaException when the registry cannot be reached or refuses a schema
     */
    public static Map<String, Long> register(Map<String, Class<? extends SpecificRecord>> topics, Map<String, ?> config) {
        Map<String, Object> apicurio = RegistrySerde.apicurioConfig(config);
        Map<String, Long> ids = new LinkedHashMap<>();
        for (Map.Entry<String, Class<? extends SpecificRecord>> topic : topics.entrySet()) {
            ids.put(topic.getKey(), register(topic.getKey(), topic.getValue(), apicurio));
        }
        return ids;
    }

    private static long register(String topic, Class<? extends SpecificRecord> type, Map<String, Object> apicurio) {
        // A fresh serializer per topic: the resolver caches by content and would skip the second topic's subject.
        try (AvroKafkaSerializer<SpecificRecord> serializer = new AvroKafkaSerializer<>()) {
            serializer.configure(apicurio, false);
            // The resolver only reads the record's schema, so an empty instance of the class stands for the data.
            Schema schema = SpecificData.get().getSchema(type);
            SpecificRecord blank = (SpecificRecord) SpecificData.newInstance(type, schema);
            SchemaLookupResult<Schema> result = serializer.getSchemaResolver()
                    .resolveSchema(new SerdeRecord<>(new SerdeMetadata(topic, false), blank));
            return result.getContentId();
        } catch (RuntimeException e) {
            String url = String.valueOf(apicurio.get(SerdeConfig.REGISTRY_URL));
            throw new org.apache.kafka.common.KafkaException("Cannot register the schema of " + topic + "-value in "
                    + url + ": " + e, e);
        }
    }
}
