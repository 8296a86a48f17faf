package io.convo.connectors;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;

/**
 * Produces a record and waits for the broker's acknowledgement, so an HTTP endpoint answers 2xx only for what Kafka
 * holds; otherwise the provider is told to retry. Thread-safe: HTTP threads share one idempotent producer.
 */
final class AckedPublisher {

    /** Kafka did not acknowledge the record in time; it may still be written (a retry is then a duplicate). */
    static final class NotAcknowledged extends Exception {
        private static final long serialVersionUID = 1L;

        NotAcknowledged(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final Producer<String, byte[]> producer;
    private final Duration timeout;

    AckedPublisher(Producer<String, byte[]> producer, Duration timeout) {
        this.producer = producer;
        this.timeout = timeout;
    }

    void publish(ProducerRecord<String, byte[]> record) throws InterruptedException, NotAcknowledged {
        try {
            producer.send(record).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new NotAcknowledged("writing to " + record.topic() + " failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new NotAcknowledged("writing to " + record.topic() + " took more than " + timeout.toMillis() + " ms", e);
        } catch (KafkaException e) {
            throw new NotAcknowledged("writing to " + record.topic() + " failed: " + e, e);
        }
    }
}
