package io.convo.connectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.convo.model.Channel;
import io.convo.model.Delivery;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class TransportsTest {

    /** A custom transport, as a user would plug one in by class name. */
    public static final class Recording implements Transport {
        final String greeting;

        public Recording(ChannelSettings settings) {
            this.greeting = settings.get("recording.greeting", "none");
        }

        @Override
        public SendOutcome send(Delivery delivery) {
            return SendOutcome.sent(1);
        }

        @Override
        public String describe() {
            return "recording";
        }
    }

    @Test
    void logIsTheDefault() {
        assertThat(Transports.create(new ChannelSettings(Channel.sms, Map.of()))).isInstanceOf(LogTransport.class);
    }

    @Test
    void eachChannelChoosesItsOwn() {
        Map<String, Object> config = Map.of(
                "convo.connector.transport", "webhook",
                "convo.connector.webhook.url", "http://127.0.0.1:9/messages",
                "convo.connector.chat.transport", "log");

        assertThat(Transports.create(new ChannelSettings(Channel.sms, config))).isInstanceOf(WebhookTransport.class);
        assertThat(Transports.create(new ChannelSettings(Channel.chat, config))).isInstanceOf(LogTransport.class);
    }

    @Test
    void aClassNameBuildsACustomTransportWithItsSettings() {
        Map<String, Object> config = Map.of(
                "convo.connector.whatsapp.transport", Recording.class.getName(),
                "convo.connector.whatsapp.recording.greeting", "hi");

        Transport transport = Transports.create(new ChannelSettings(Channel.whatsapp, config));

        assertThat(transport).isInstanceOfSatisfying(Recording.class, r -> assertThat(r.greeting).isEqualTo("hi"));
    }

    @Test
    void anUnknownNameIsAConfigError() {
        assertThatThrownBy(() -> Transports.create(new ChannelSettings(Channel.sms,
                Map.of("convo.connector.sms.transport", "carrier-pigeon"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("convo.connector.sms.transport")
                .hasMessageContaining("log, webhook");
        assertThatThrownBy(() -> Transports.create(new ChannelSettings(Channel.sms,
                Map.of("convo.connector.sms.transport", String.class.getName()))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("does not implement");
    }
}
