package io.convo.connectors;

import io.convo.model.Delivery;

/**
 * Hands one delivery to a provider and decides its outcome, retrying internally as it sees fit. A connector
 * calls it from one thread, one delivery at a time, and never again for a delivery whose outcome it committed.
 *
 * <p>A custom transport is named by its class in {@code convo.connector.<channel>.transport} and needs a
 * public constructor taking a {@link ChannelSettings}.
 */
public interface Transport extends AutoCloseable {

    /**
     * Sends {@code delivery} and returns its outcome; a failure is returned, not thrown.
     *
     * @throws InterruptedException when the connector is stopped mid-send; the delivery is then undecided and is
     *                              offered again after a restart, under the same idempotency key
     */
    SendOutcome send(Delivery delivery) throws InterruptedException;

    /** A short name for logs, e.g. {@code webhook(https://…)}. */
    String describe();

    @Override
    default void close() {
    }
}
