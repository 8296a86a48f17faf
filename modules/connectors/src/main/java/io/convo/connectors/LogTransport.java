package io.convo.connectors;

import io.convo.model.Delivery;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * For local use: appends each delivery as an output JSON line ({@code {"topic":…,"key":…,"value":{…}}}, readable
 * by the CLI's JSON-lines tools) to a file, or logs it when no file is configured, and reports it sent. A line is
 * flushed before the delivery counts as sent.
 */
public final class LogTransport implements Transport {

    private static final Logger LOG = LoggerFactory.getLogger(LogTransport.class);

    private final String topic;
    private final Path file;
    private BufferedWriter writer;

    /** The transport {@code convo.connector.<channel>.transport=log} selects. */
    public LogTransport(ChannelSettings settings) {
        this(ConnectorTopics.from(settings.config()).delivery(settings.channel()),
                settings.get(ConnectorConfig.LOG_FILE) == null ? null : Path.of(settings.get(ConnectorConfig.LOG_FILE)));
    }

    /**
     * @param topic the delivery topic, written into each line
     * @param file  the file to append to (created with its folders), or null to log each delivery instead
     */
    public LogTransport(String topic, Path file) {
        this.topic = topic;
        this.file = file;
    }

    @Override
    public synchronized SendOutcome send(Delivery delivery) {
        String line = DeliveryJson.line(topic, delivery);
        if (file == null) {
            LOG.info("{}", line);
            return SendOutcome.sent(1);
        }
        try {
            if (writer == null) {
                Path parent = file.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND, StandardOpenOption.WRITE);
            }
            writer.write(line);
            writer.newLine();
            writer.flush();
            return SendOutcome.sent(1);
        } catch (IOException e) {
            closeQuietly();
            return SendOutcome.failed(FailureCodes.LOG_WRITE_FAILED, "cannot append to " + file + ": " + e.getMessage(),
                    true, 1);
        }
    }

    @Override
    public String describe() {
        return file == null ? "log" : "log(" + file + ")";
    }

    @Override
    public synchronized void close() {
        closeQuietly();
    }

    private void closeQuietly() {
        if (writer != null) {
            try {
                writer.close();
            } catch (IOException e) {
                LOG.warn("Closing {}: {}", file, e.getMessage());
            }
            writer = null;
        }
    }
}
