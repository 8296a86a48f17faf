package io.convo.model.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.convo.model.Fixtures;
import io.convo.model.Media;
import io.convo.model.SendMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/** AvroSize counts exactly the bytes Avro's binary encoder writes. */
class AvroSizeTest {

    private static long encoded(SpecificRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<SpecificRecord>(record.getSchema()).write(record, encoder);
        encoder.flush();
        return out.size();
    }

    @Test
    void equalsTheEncodedLengthOfEveryTopLevelRecord() throws IOException {
        for (SpecificRecord record : Fixtures.everyTopLevelRecord()) {
            assertThat(AvroSize.of(record)).as(record.getSchema().getName()).isEqualTo(encoded(record));
        }
    }

    @Test
    void countsFourByteCodePointsLoneSurrogatesLongArraysAndLargeVarints() throws IOException {
        List<Media> media = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            media.add(Media.newBuilder().setContentType("image/png").setSize(150L * 1_048_576 + i)
                    .setFilename(i % 2 == 0 ? null : "f" + i + ".png").build());
        }
        SendMessage message = SendMessage.newBuilder().setCommandId("c1").setServiceSid("IS1")
                .setTimestamp(Long.MAX_VALUE).setConversationSid("CH\uD83D\uDE00".repeat(100)).setMessageSid("IM1")
                .setAuthor("lone \uD800 surrogate \uDC00").setBody("é€😀".repeat(1_000)).setMedia(media).build();
        assertThat(AvroSize.of(message)).isEqualTo(encoded(message));
    }

    @Test
    void countsAnEmptyArrayAsOneByte() throws IOException {
        SendMessage message = SendMessage.newBuilder().setCommandId("c1").setServiceSid("IS1").setTimestamp(-1)
                .setConversationSid("CH1").setMessageSid("IM1").setAuthor("a").setBody("b").setMedia(List.of()).build();
        assertThat(AvroSize.of(message)).isEqualTo(encoded(message));
    }
}
