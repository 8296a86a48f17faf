package io.convo.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.convo.model.AddParticipant;
import io.convo.model.CommandRejected;
import io.convo.model.CreateConversation;
import io.convo.model.CreateRole;
import io.convo.model.CreateUser;
import io.convo.model.Media;
import io.convo.model.RoleType;
import io.convo.model.SendMessage;
import io.convo.model.UpdateMessage;
import io.convo.model.UpdateParticipant;
import io.convo.model.UpdateUser;
import io.convo.model.serde.AvroSize;
import io.convo.model.serde.ConvoSerdes;
import io.convo.rules.Limits;
import io.convo.rules.RecordBounds;
import io.convo.rules.permission.Permission;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, point 1: the worst case of every command, each at exactly {@code command-bytes} where the field limits
 * leave room, driven through the whole topology on a conversation at every limit (1000 participants, 50 of them SMS,
 * longest ids, identities and addresses in 4-byte code points, the largest attributes), and every record the
 * topology writes (events, deliveries, checks, rejections, every changelog) measured against
 * {@link RecordBounds#largestRecord}, which must fit Kafka's default 1 MiB.
 */
class RecordBoundsTest {

    private static final Limits LIMITS = Limits.defaults();
    private static final String WIDE = "\uD83D\uDE00"; // one code point, four UTF-8 bytes
    private static final int C = LIMITS.commandBytes();

    private final CommandFactory given = new CommandFactory();
    private final ConvoDriver convo = new ConvoDriver(new Properties());

    @AfterEach
    void stop() {
        convo.close();
    }

    /** {@code chars} code points: a distinguishing ASCII prefix, then 4-byte characters. */
    private static String wide(String prefix, int chars) {
        return prefix + WIDE.repeat(chars - prefix.length());
    }

    private static String id(String prefix) {
        return wide(prefix, LIMITS.idChars());
    }

    /** A JSON object of exactly {@code bytes} UTF-8 bytes. */
    private static String attributes(int bytes) {
        String frame = "{\"a\":\"\"}";
        int room = bytes - frame.length();
        return "{\"a\":\"" + WIDE.repeat(room / 4) + "x".repeat(room % 4) + "\"}";
    }

    /** {@code command} with its one open-ended field grown (in ASCII) until the command is exactly C bytes. */
    private static <T extends SpecificRecordBase> T filled(T command, Function<String, T> withField) {
        long missing = C - AvroSize.of(withField.apply(""));
        T full = withField.apply("x".repeat((int) missing));
        // The field's length prefix may have grown by a byte or two with it.
        long over = AvroSize.of(full) - C;
        T exact = withField.apply("x".repeat((int) (missing - over)));
        assertThat(AvroSize.of(exact)).as("a command of exactly command-bytes").isEqualTo(C);
        return exact;
    }

    private final String service = id("IS");
    private final String conversation = id("CH");

    private <T extends SpecificRecordBase> T inService(T command) {
        command.put("serviceSid", service);
        command.put("commandId", id(given.nextId() + "-"));
        return command;
    }

    @Test
    void noRecordOfACommandAtEveryLimitOutgrowsTheBoundAndTheBoundFitsKafkasDefault() {
        long bound = RecordBounds.largestRecord(LIMITS);
        assertThat(bound + RecordBounds.RECORD_OVERHEAD).as("the defaults fit max.request.size 1 MiB")
                .isLessThanOrEqualTo(1_048_576);

        CreateConversation create = inService(given.create(conversation, wide("n", LIMITS.friendlyNameChars()),
                attributes(LIMITS.conversationAttributesBytes())));
        convo.pipe(filled(create, unique -> {
            CreateConversation c = CreateConversation.newBuilder(create).build();
            c.setUniqueName(unique);
            return c;
        }));
        String author = null;
        for (int i = 0; i < LIMITS.participantsPerConversation(); i++) {
            String participant = id(String.format("MB%04d", i));
            AddParticipant add;
            if (i < LIMITS.nonChatParticipantsPerConversation()) {
                add = given.sms(conversation, participant, wide(String.format("+1%04d", i), LIMITS.addressChars()),
                        wide("+2", LIMITS.proxyAddressChars()));
            } else {
                String identity = wide(String.format("u%04d", i), LIMITS.identityChars());
                author = author == null ? identity : author;
                add = given.chat(conversation, participant, identity);
            }
            add.setAttributes(attributes(LIMITS.participantAttributesBytes()));
            add.setRoleSid(id("RL"));
            convo.pipe(inService(add));
        }
        UpdateParticipant horizon = inService(given.participantAttributes(conversation, id("MB0999"),
                attributes(LIMITS.participantAttributesBytes())));
        horizon.setRoleSid(id("RL2"));
        convo.pipe(horizon);

        String messageSid = id("IM");
        SendMessage message = inService(given.message(conversation, messageSid, author,
                WIDE.repeat(LIMITS.bodyBytes() / 4)));
        message.setAttributes(attributes(LIMITS.messageAttributesBytes()));
        Media one = Media.newBuilder().setContentType("image/png").setSize(1024L).setFilename(wide("f", 64)).build();
        long files = (C - AvroSize.of(message) - 1024) / AvroSize.of(one);
        convo.pipe(filled(message, last -> {
            SendMessage m = SendMessage.newBuilder(message).build();
            List<Media> media = new ArrayList<>();
            for (int i = 0; i < files; i++) {
                media.add(one);
            }
            media.add(Media.newBuilder(one).setFilename(last).build());
            m.setMedia(media);
            return m;
        }));
        UpdateMessage edit = inService(given.editMessage(conversation, messageSid, WIDE.repeat(LIMITS.bodyBytes() / 4)));
        edit.setAttributes(attributes(LIMITS.messageAttributesBytes()));
        convo.pipe(edit);

        String identity = wide("user", LIMITS.identityChars());
        CreateUser user = inService(given.createUser(identity));
        convo.pipe(filled(user, name -> {
            CreateUser u = CreateUser.newBuilder(user).build();
            u.setFriendlyName(name);
            return u;
        }));
        UpdateUser userAttributes = inService(given.updateUser(identity, null));
        userAttributes.setAttributes(attributes(LIMITS.userAttributesBytes()));
        convo.pipe(userAttributes);

        String roleSid = id("RL");
        CreateRole role = inService(given.createRole(roleSid));
        role.setRoleType(RoleType.conversation);
        convo.pipe(filled(role, name -> {
            CreateRole r = CreateRole.newBuilder(role).build();
            r.setFriendlyName(name);
            return r;
        }));
        // A role names each permission at most once (CommandValidator), so its largest is every permission.
        List<String> every = Arrays.stream(Permission.values()).map(Permission::name).toList();
        convo.pipe(inService(given.updateRole(roleSid, every)));

        Map<String, List<TestRecord<byte[], byte[]>>> written = convo.drain();
        assertThat(rejections(written)).as("every worst-case command is legal").isEmpty();
        long largest = 0;
        String where = null;
        for (Map.Entry<String, List<TestRecord<byte[], byte[]>>> topic : written.entrySet()) {
            for (TestRecord<byte[], byte[]> r : topic.getValue()) {
                long size = (r.key() == null ? 0 : r.key().length) + (r.value() == null ? 0 : r.value().length);
                if (size > largest) {
                    largest = size;
                    where = topic.getKey();
                }
            }
        }
        assertThat(largest).as("the largest record (" + where + ") within the bound").isLessThanOrEqualTo(bound);
        // Roles name each permission once, so the largest merge is now a full command's fields plus replaced ones
        // (a user filling a command, then given the largest attributes).
        assertThat(largest).as("the worst case really merges a full command with replaced fields (" + where + ")")
                .isGreaterThan((long) C + LIMITS.userAttributesBytes());
        assertThat(written).containsKeys("delivery-chat", "delivery-mms", "conversation-events");
        System.out.println("RecordBoundsTest: largest record " + largest + " bytes on " + where + "; bound " + bound);
    }

    @Test
    void aCommandOfCommandBytesIsAcceptedAndOneByteMoreIsRejectedCommandTooLarge() {
        convo.send(given.create("CH1"));
        SendMessage base = given.message("CH1", "IM1", "system", "hi");
        SendMessage exact = filled(base, name -> SendMessage.newBuilder(base).setMedia(List.of(
                Media.newBuilder().setContentType("text/plain").setSize(1L).setFilename(name).build())).build());
        assertThat(convo.outcome(exact)).isNotInstanceOf(CommandRejected.class);

        Media file = exact.getMedia().get(0);
        SendMessage over = SendMessage.newBuilder(exact).setCommandId("X" + exact.getCommandId().substring(1)).setMessageSid("IM2")
                .setMedia(List.of(Media.newBuilder(file).setFilename(file.getFilename() + "x").build())).build();
        assertThat(AvroSize.of(over)).isEqualTo(C + 1);
        CommandRejected rejected = (CommandRejected) convo.outcome(over);
        assertThat(rejected.getCode()).isEqualTo("COMMAND_TOO_LARGE");
        assertThat(rejected.getLimit()).isEqualTo((long) C);
        assertThat(rejected.getReason()).contains(String.valueOf(C + 1)).contains("convo.limits.command-bytes");
    }

    private static List<CommandRejected> rejections(Map<String, List<TestRecord<byte[], byte[]>>> written) {
        var serde = ConvoSerdes.valueSerde(CommandRejected.class, Map.of()).deserializer();
        return written.getOrDefault("command-rejections", List.of()).stream()
                .map(r -> serde.deserialize("command-rejections", r.value())).toList();
    }
}
