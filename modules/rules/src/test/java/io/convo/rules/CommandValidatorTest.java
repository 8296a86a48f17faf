package io.convo.rules;

import static io.convo.rules.Rejections.assertInvalid;
import static io.convo.rules.Rejections.assertLimit;
import static io.convo.rules.Rejections.rejection;
import static io.convo.rules.TestCommands.CONVERSATION;
import static io.convo.rules.TestCommands.addChat;
import static io.convo.rules.TestCommands.addSms;
import static io.convo.rules.TestCommands.addWhatsapp;
import static io.convo.rules.TestCommands.createConversation;
import static io.convo.rules.TestCommands.createRole;
import static io.convo.rules.TestCommands.createUser;
import static io.convo.rules.TestCommands.deleteRole;
import static io.convo.rules.TestCommands.deleteUser;
import static io.convo.rules.TestCommands.jsonOfBytes;
import static io.convo.rules.TestCommands.media;
import static io.convo.rules.TestCommands.readUpTo;
import static io.convo.rules.TestCommands.removeMessage;
import static io.convo.rules.TestCommands.removeParticipant;
import static io.convo.rules.TestCommands.renameConversation;
import static io.convo.rules.TestCommands.sendMessage;
import static io.convo.rules.TestCommands.times;
import static io.convo.rules.TestCommands.updateMessage;
import static io.convo.rules.TestCommands.updateParticipant;
import static io.convo.rules.TestCommands.updateRole;
import static io.convo.rules.TestCommands.updateUser;
import static org.assertj.core.api.Assertions.assertThat;

import io.convo.model.AddParticipant;
import io.convo.model.BindingType;
import io.convo.model.Channel;
import io.convo.model.CreateConversation;
import io.convo.model.CreateRole;
import io.convo.model.CreateUser;
import io.convo.model.Media;
import io.convo.model.MessagingBinding;
import io.convo.model.RejectionCode;
import io.convo.model.SendMessage;
import io.convo.model.UpdateConversation;
import io.convo.model.UpdateMessage;
import io.convo.model.UpdateParticipant;
import io.convo.model.UpdateUser;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Step 1 of SPEC §3: L1–L5, L5a, L11–L13 (by the author's channel) and INVALID_COMMAND, each at its boundary. */
class CommandValidatorTest {

    private static final long MB = Limits.MB;
    private static final String EMOJI = "\uD83D\uDE00"; // one code point, two UTF-16 chars, four UTF-8 bytes

    private final CommandValidator validator = new CommandValidator(Limits.defaults());

    private Optional<Rejection> validate(SpecificRecord command) {
        return validate(command, null);
    }

    private Optional<Rejection> validate(SpecificRecord command, Channel authorChannel) {
        Command header = Command.of(command);
        return validator.validate(header, authorChannel);
    }

    private static SendMessage withMedia(Media... media) {
        return sendMessage(CONVERSATION, "IM1", "author", null, media);
    }

    private static Media[] files(int n, long size) {
        Media[] files = new Media[n];
        Arrays.fill(files, media("image/jpeg", size));
        return files;
    }

    @Nested
    class L1FriendlyName {

        @Test
        void accepts256CharactersCountedAsCodePoints() {
            // 256 code points are 512 UTF-16 chars: the limit counts characters as the SPEC does
            assertThat(validate(CreateConversation.newBuilder(createConversation(CONVERSATION))
                    .setFriendlyName(times(256, EMOJI)).build())).isEmpty();
        }

        @Test
        void rejectsThe257thCharacterOnCreate() {
            assertLimit(rejection(validate(CreateConversation.newBuilder(createConversation(CONVERSATION))
                            .setFriendlyName(times(257, "n")).build())),
                    RejectionCode.FRIENDLY_NAME_TOO_LONG, 50003, 256, "friendlyName is 257 characters", "limit is 256");
        }

        @Test
        void rejectsThe257thCharacterOnUpdate() {
            assertThat(validate(renameConversation(CONVERSATION, times(256, "n")))).isEmpty();
            assertLimit(rejection(validate(renameConversation(CONVERSATION, times(257, "n")))),
                    RejectionCode.FRIENDLY_NAME_TOO_LONG, 50003, 256, "257 characters", "256");
        }

        @Test
        void followsAConfiguredLimit() {
            CommandValidator small = new CommandValidator(Limits.from(Map.of("convo.limits.friendly-name-chars", "3")));
            CreateConversation four = CreateConversation.newBuilder(createConversation(CONVERSATION)).setFriendlyName("four").build();
            assertLimit(rejection(small.validate(Command.of(four), null)),
                    RejectionCode.FRIENDLY_NAME_TOO_LONG, 50003, 3, "4 characters", "limit is 3");
        }
    }

    @Nested
    class L2Body {

        @Test
        void accepts32768Bytes() {
            assertThat(validate(sendMessage(CONVERSATION, "IM1", "alice", times(32_768, "b")))).isEmpty();
        }

        @Test
        void rejects32769Bytes() {
            assertLimit(rejection(validate(sendMessage(CONVERSATION, "IM1", "alice", times(32_769, "b")))),
                    RejectionCode.BODY_TOO_LONG, 50504, 32_768, "body is 32769 bytes", "limit is 32768 bytes");
        }

        @Test
        void countsUtf8BytesNotCharacters() {
            // 8,192 emoji are 8,192 characters but 32,768 bytes: at the limit; one more byte is over it
            assertThat(validate(sendMessage(CONVERSATION, "IM1", "alice", times(8_192, EMOJI)))).isEmpty();
            assertLimit(rejection(validate(sendMessage(CONVERSATION, "IM1", "alice", times(8_192, EMOJI) + "x"))),
                    RejectionCode.BODY_TOO_LONG, 50504, 32_768, "32769 bytes");
        }

        @Test
        void appliesToAnUpdatedBodyToo() {
            assertThat(validate(updateMessage(CONVERSATION, "IM1", times(32_768, "b")))).isEmpty();
            assertLimit(rejection(validate(updateMessage(CONVERSATION, "IM1", times(32_769, "b")))),
                    RejectionCode.BODY_TOO_LONG, 50504, 32_768, "32769 bytes", "32768 bytes");
        }
    }

    @Nested
    class L3Identity {

        @Test
        void accepts256CharactersAndRejectsThe257thForAParticipant() {
            assertThat(validate(addChat(CONVERSATION, "MB1", times(256, EMOJI)))).isEmpty();
            assertLimit(rejection(validate(addChat(CONVERSATION, "MB1", times(257, "i")))),
                    RejectionCode.IDENTITY_TOO_LONG, 50207, 256, "identity is 257 characters", "limit is 256");
        }

        @Test
        void accepts256CharactersAndRejectsThe257thForAUser() {
            assertThat(validate(createUser(times(256, "i")))).isEmpty();
            assertLimit(rejection(validate(createUser(times(257, "i")))),
                    RejectionCode.IDENTITY_TOO_LONG, 50207, 256, "257 characters");
            assertLimit(rejection(validate(updateUser(times(257, "i")))),
                    RejectionCode.IDENTITY_TOO_LONG, 50207, 256, "257 characters");
            assertLimit(rejection(validate(deleteUser(times(257, "i")))),
                    RejectionCode.IDENTITY_TOO_LONG, 50207, 256, "257 characters");
        }
    }

    @Nested
    class L4Address {

        @Test
        void accepts256CharactersAndRejectsThe257th() {
            assertThat(validate(addSms(CONVERSATION, "MB1", times(256, "1"), "+15559999"))).isEmpty();
            assertLimit(rejection(validate(addSms(CONVERSATION, "MB1", times(257, "1"), "+15559999"))),
                    RejectionCode.ADDRESS_TOO_LONG, null, 256, "messagingBinding.address is 257 characters", "limit is 256");
        }

        @Test
        void limitsAChatParticipantsProjectedAddressAlike() {
            AddParticipant ok = AddParticipant.newBuilder(addChat(CONVERSATION, "MB1", "alice"))
                    .setProjectedAddress(times(256, "1")).build();
            AddParticipant over = AddParticipant.newBuilder(ok).setProjectedAddress(times(257, "1")).build();
            assertThat(validate(ok)).isEmpty();
            assertLimit(rejection(validate(over)), RejectionCode.ADDRESS_TOO_LONG, null, 256,
                    "projectedAddress is 257 characters");
        }
    }

    @Nested
    class L5ProxyAddress {

        @Test
        void accepts256CharactersAndRejectsThe257th() {
            assertThat(validate(addWhatsapp(CONVERSATION, "MB1", "whatsapp:+1555", times(256, "p")))).isEmpty();
            assertLimit(rejection(validate(addSms(CONVERSATION, "MB1", "+15550001", times(257, "p")))),
                    RejectionCode.PROXY_ADDRESS_TOO_LONG, null, 256,
                    "messagingBinding.proxyAddress is 257 characters", "limit is 256");
        }
    }

    @Nested
    class L5aAttributes {

        static Stream<Arguments> attributesAndTheirLimits() {
            return Stream.of(
                    Arguments.of("Conversation (create)", 16_384, (AttributesCommand) a -> CreateConversation
                            .newBuilder(createConversation(CONVERSATION)).setAttributes(a).build()),
                    Arguments.of("Conversation (update)", 16_384, (AttributesCommand) a -> UpdateConversation
                            .newBuilder(renameConversation(CONVERSATION, "n")).setAttributes(a).build()),
                    Arguments.of("Participant (add)", 4_096, (AttributesCommand) a -> AddParticipant
                            .newBuilder(addChat(CONVERSATION, "MB1", "alice")).setAttributes(a).build()),
                    Arguments.of("Participant (update)", 4_096, (AttributesCommand) a -> UpdateParticipant
                            .newBuilder(updateParticipant(CONVERSATION, "MB1")).setAttributes(a).build()),
                    Arguments.of("Message (send)", 4_096, (AttributesCommand) a -> SendMessage
                            .newBuilder(sendMessage(CONVERSATION, "IM1", "alice", "hi")).setAttributes(a).build()),
                    Arguments.of("Message (update)", 4_096, (AttributesCommand) a -> UpdateMessage
                            .newBuilder(updateMessage(CONVERSATION, "IM1", "hi")).setAttributes(a).build()),
                    Arguments.of("User (create)", 16_384, (AttributesCommand) a -> CreateUser
                            .newBuilder(createUser("alice")).setAttributes(a).build()),
                    Arguments.of("User (update)", 16_384, (AttributesCommand) a -> UpdateUser
                            .newBuilder(updateUser("alice")).setAttributes(a).build()));
        }

        @ParameterizedTest(name = "{0}: {1} bytes")
        @MethodSource("attributesAndTheirLimits")
        void acceptsAttributesOfTheLimitAndRejectsOneByteMore(String what, int limit, AttributesCommand command) {
            assertThat(validate(command.with(jsonOfBytes(limit)))).as(what).isEmpty();
            assertLimit(rejection(validate(command.with(jsonOfBytes(limit + 1)))), RejectionCode.ATTRIBUTES_TOO_LONG,
                    50303, limit, "attributes are " + (limit + 1) + " bytes", "limit is " + limit + " bytes");
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("attributesAndTheirLimits")
        void rejectsAttributesThatAreNotOneJsonValue(String what, int limit, AttributesCommand command) {
            assertInvalid(validate(command.with("{\"a\":")), "attributes are not valid JSON");
            assertInvalid(validate(command.with("{} {}")), "attributes are not valid JSON");
        }

        @Test
        void countsAttributesInUtf8Bytes() {
            // "é" is 2 bytes: 8,191 of them and two quotes are 16,384 bytes
            String atLimit = "\"" + times(8_191, "é") + "\"";
            String over = "\"" + times(8_191, "é") + "a\"";
            assertThat(validate(CreateConversation.newBuilder(createConversation(CONVERSATION)).setAttributes(atLimit).build()))
                    .isEmpty();
            assertLimit(rejection(validate(CreateConversation.newBuilder(createConversation(CONVERSATION))
                    .setAttributes(over).build())), RejectionCode.ATTRIBUTES_TOO_LONG, 50303, 16_384, "16385 bytes");
        }
    }

    /** A command built around given attributes. */
    interface AttributesCommand {
        SpecificRecord with(String attributes);
    }

    @Nested
    class L11ChatMedia {

        @Test
        void acceptsA150MbFileAndRejectsOneByteMore() {
            assertThat(validate(withMedia(media("video/mp4", 150 * MB)), Channel.chat)).isEmpty();
            assertLimit(rejection(validate(withMedia(media("video/mp4", 1), media("video/mp4", 150 * MB + 1)), Channel.chat)),
                    RejectionCode.MEDIA_TOO_LARGE, 50512, 150 * MB, "media[1] is 157286401 bytes",
                    "limit is 157286400 bytes");
        }

        @Test
        void allowsAnyNumberAndAnyTypeOfFiles() {
            assertThat(validate(withMedia(files(25, 100 * MB)), Channel.chat)).isEmpty();
            assertThat(validate(withMedia(media("application/x-anything", 150 * MB)), Channel.chat)).isEmpty();
        }

        @Test
        void appliesWhenTheAuthorIsNoParticipant() {
            assertThat(validate(withMedia(files(11, 3 * MB)), null)).isEmpty();
            assertThat(rejection(validate(withMedia(media("video/mp4", 150 * MB + 1)), null)).code())
                    .isEqualTo(RejectionCode.MEDIA_TOO_LARGE);
        }
    }

    @Nested
    class L12InboundMms {

        @Test
        void acceptsTenFilesAndRejectsEleven() {
            assertThat(validate(withMedia(files(10, 1_000)), Channel.sms)).isEmpty();
            assertLimit(rejection(validate(withMedia(files(11, 1_000)), Channel.sms)), RejectionCode.MMS_MEDIA_LIMIT,
                    21623, 10, "an MMS has 11 files", "limit is 10");
        }

        @Test
        void accepts2MbPerFileAndRejectsOneByteMore() {
            assertThat(validate(withMedia(media("image/png", 2 * MB)), Channel.sms)).isEmpty();
            assertLimit(rejection(validate(withMedia(media("image/png", 1), media("image/png", 2 * MB + 1)), Channel.sms)),
                    RejectionCode.MMS_MEDIA_LIMIT, null, 2 * MB, "media[1] is 2097153 bytes",
                    "at most 2097152 bytes");
        }

        @Test
        void accepts5MbInTotalAndRejectsOneByteMore() {
            assertThat(validate(withMedia(media("image/png", 2 * MB), media("image/png", 2 * MB), media("image/png", MB)),
                    Channel.sms)).isEmpty();
            assertLimit(rejection(validate(withMedia(media("image/png", 2 * MB), media("image/png", 2 * MB),
                            media("image/png", MB + 1)), Channel.sms)),
                    RejectionCode.MMS_MEDIA_LIMIT, null, 5 * MB, "an MMS has 5242881 bytes of media",
                    "limit is 5242880 bytes");
        }

        @Test
        void appliesToAnMmsAuthorAlike() {
            assertThat(rejection(validate(withMedia(files(11, 1)), Channel.mms)).code())
                    .isEqualTo(RejectionCode.MMS_MEDIA_LIMIT);
        }
    }

    @Nested
    class L13InboundWhatsapp {

        @Test
        void acceptsOneFileAndRejectsTwo() {
            assertThat(validate(withMedia(files(1, 1_000)), Channel.whatsapp)).isEmpty();
            assertLimit(rejection(validate(withMedia(files(2, 1_000)), Channel.whatsapp)),
                    RejectionCode.WHATSAPP_MEDIA_LIMIT, null, 1, "a WhatsApp message has 2 files", "limit is 1");
        }

        @Test
        void accepts16MbAndRejectsOneByteMore() {
            assertThat(validate(withMedia(media("video/mp4", 16 * MB)), Channel.whatsapp)).isEmpty();
            assertLimit(rejection(validate(withMedia(media("video/mp4", 16 * MB + 1)), Channel.whatsapp)),
                    RejectionCode.WHATSAPP_MEDIA_LIMIT, null, 16 * MB, "media[0] is 16777217 bytes",
                    "at most 16777216 bytes");
        }
    }

    @Nested
    class IdsAndCommandSize {

        @Test
        void accepts256CharacterIdsAndRejectsThe257thNamingTheField() {
            String longest = times(256, EMOJI);
            assertThat(validate(addChat(longest, longest, "alice"))).isEmpty();
            assertInvalid(validate(addChat(times(257, "c"), "MB1", "alice")),
                    "conversationSid is 257 characters; ids are at most 256");
            assertInvalid(validate(addChat(CONVERSATION, times(257, "p"), "alice")),
                    "participantSid is 257 characters");
            assertInvalid(validate(sendMessage(CONVERSATION, times(257, "m"), "alice", "hi")),
                    "messageSid is 257 characters");
            assertInvalid(validate(TestCommands.withCommandId(createConversation(CONVERSATION), times(257, "x"))),
                    "commandId is 257 characters");
            assertInvalid(validate(deleteRole(times(257, "r"))), "roleSid is 257 characters");
        }

        @Test
        void holdsAnOptionalRoleSidToTheIdLimit() {
            assertThat(validate(AddParticipant.newBuilder(addChat(CONVERSATION, "MB1", "alice"))
                    .setRoleSid(times(256, "r")).build())).isEmpty();
            assertInvalid(validate(AddParticipant.newBuilder(addChat(CONVERSATION, "MB1", "alice"))
                    .setRoleSid(times(257, "r")).build()), "roleSid is 257 characters");
            assertInvalid(validate(CreateUser.newBuilder(createUser("alice")).setRoleSid(times(257, "r")).build()),
                    "roleSid is 257 characters");
        }

        @Test
        void anIdentityIsHeldToL3NotToTheIdLimit() {
            CommandValidator shortIds = new CommandValidator(Limits.from(Map.of("convo.limits.id-chars", "8")));
            assertThat(shortIds.validate(Command.of(addChat("CH1", "MB1", "a-longer-identity")), null)).isEmpty();
        }

        @Test
        void rejectsACommandOneByteOverCommandBytes() {
            SendMessage message = sendMessage(CONVERSATION, "IM1", "alice", "hi");
            long size = io.convo.model.serde.AvroSize.of(message);
            CommandValidator exact = new CommandValidator(Limits.from(Map.of("convo.limits.command-bytes",
                    String.valueOf(size))));
            CommandValidator oneLess = new CommandValidator(Limits.from(Map.of("convo.limits.command-bytes",
                    String.valueOf(size - 1))));
            assertThat(exact.validate(Command.of(message), null)).isEmpty();
            assertLimit(rejection(oneLess.validate(Command.of(message), null)), RejectionCode.COMMAND_TOO_LARGE, null,
                    size - 1, size + " bytes", "convo.limits.command-bytes");
        }
    }

    @Nested
    class InvalidCommand {

        @Test
        void requiresExactlyOneOfIdentityAndBinding() {
            AddParticipant neither = AddParticipant.newBuilder(addChat(CONVERSATION, "MB1", "alice")).setIdentity(null).build();
            AddParticipant both = AddParticipant.newBuilder(addChat(CONVERSATION, "MB1", "alice"))
                    .setMessagingBinding(new MessagingBinding(BindingType.sms, "+15550001", "+15559999")).build();
            assertInvalid(validate(neither), "exactly one of identity and messagingBinding is required");
            assertInvalid(validate(both), "exactly one of identity and messagingBinding is required");
        }

        @Test
        void requiresABindingsTypeAndAddress() {
            assertInvalid(validate(addSms(CONVERSATION, "MB1", null, "+15559999")), "messagingBinding.address is required");
            assertInvalid(validate(addSms(CONVERSATION, "MB1", " ", "+15559999")), "messagingBinding.address must not be empty");
            assertInvalid(validate(TestCommands.addBinding(CONVERSATION, "MB1", null, "+15550001", "+15559999")),
                    "messagingBinding.type is required");
        }

        @Test
        void requiresAProxyAddressForWhatsapp() {
            assertInvalid(validate(addWhatsapp(CONVERSATION, "MB1", "whatsapp:+15550001", null)),
                    "messagingBinding.proxyAddress is required for a whatsapp binding");
        }

        @Test
        void allowsAProjectedAddressForChatParticipantsOnly() {
            AddParticipant sms = AddParticipant.newBuilder(addSms(CONVERSATION, "MB1", "+15550001", null))
                    .setProjectedAddress("+15550002").build();
            assertInvalid(validate(sms), "projectedAddress is for chat participants only");
        }

        @Test
        void requiresABodyOrMedia() {
            assertInvalid(validate(sendMessage(CONVERSATION, "IM1", "alice", null)), "a message needs a body or media");
            assertInvalid(validate(sendMessage(CONVERSATION, "IM1", "alice", "")), "a message needs a body or media");
            assertThat(validate(sendMessage(CONVERSATION, "IM1", "alice", "", media("image/png", 1)))).isEmpty();
        }

        @Test
        void requiresAnAuthor() {
            assertInvalid(validate(sendMessage(CONVERSATION, "IM1", null, "hi")), "author is required");
            assertInvalid(validate(sendMessage(CONVERSATION, "IM1", "  ", "hi")), "author must not be empty");
        }

        @Test
        void requiresEachFileToSayItsTypeAndSize() {
            List<Media> withNull = new ArrayList<>();
            withNull.add(null);
            assertInvalid(validate(SendMessage.newBuilder(withMedia(media("image/png", 1))).setMedia(withNull).build()),
                    "media[0] is required");
            assertInvalid(validate(withMedia(media("image/png", 1), media(null, 1))), "media[1].contentType is required");
            assertInvalid(validate(withMedia(media("", 1))), "media[0].contentType must not be empty");
            assertInvalid(validate(withMedia(new Media("image/png", null, null))), "media[0].size is required");
            assertInvalid(validate(withMedia(media("image/png", -1))), "media[0].size is -1; it must not be negative");
        }

        @Test
        void reportsAMalformedFileBeforeAMediaLimit() {
            // an 11-file MMS with a malformed file: the malformed file is what the author must fix first
            Media[] eleven = files(11, 1);
            eleven[10] = media("image/png", -5);
            assertInvalid(validate(withMedia(eleven), Channel.sms), "media[10].size is -5");
        }

        @Test
        void rejectsANegativeReadHorizon() {
            assertInvalid(validate(readUpTo(CONVERSATION, "MB1", -1)), "lastReadMessageIndex is -1; it must not be negative");
            assertThat(validate(readUpTo(CONVERSATION, "MB1", 0))).isEmpty();
        }

        @Test
        void requiresARolesNameTypeAndPermissions() {
            assertInvalid(validate(CreateRole.newBuilder(createRole("RL1")).setFriendlyName(null).build()),
                    "friendlyName is required");
            assertInvalid(validate(CreateRole.newBuilder(createRole("RL1")).setRoleType(null).build()),
                    "roleType is required");
            assertInvalid(validate(CreateRole.newBuilder(createRole("RL1")).setPermissions(List.of()).build()),
                    "permissions must name at least one permission");
            assertInvalid(validate(updateRole("RL1")), "permissions must name at least one permission");
        }

        @Test
        void rejectsACommandWhoseIdDoesNotMatchItsRecordKey() {
            Command header = Command.of(createConversation("CH1"));
            assertInvalid(CommandValidator.validateKey(header, "CH2"), "conversationSid 'CH1' does not match the record key 'CH2'");
            assertThat(CommandValidator.validateKey(header, "CH1")).isEmpty();
            Command user = Command.of(createUser("alice"));
            assertInvalid(CommandValidator.validateKey(user, "IS2"), "serviceSid 'IS1' does not match the record key 'IS2'");
            assertThat(CommandValidator.validateKey(user, "IS1")).isEmpty();
        }

        static Stream<Arguments> idsOfEveryKind() {
            return Stream.of(
                    Arguments.of("participantSid", (IdCommand) id -> addChat(CONVERSATION, id, "alice")),
                    Arguments.of("participantSid", (IdCommand) id -> updateParticipant(CONVERSATION, id)),
                    Arguments.of("participantSid", (IdCommand) id -> removeParticipant(CONVERSATION, id)),
                    Arguments.of("messageSid", (IdCommand) id -> sendMessage(CONVERSATION, id, "alice", "hi")),
                    Arguments.of("messageSid", (IdCommand) id -> updateMessage(CONVERSATION, id, "hi")),
                    Arguments.of("messageSid", (IdCommand) id -> removeMessage(CONVERSATION, id)),
                    Arguments.of("identity", (IdCommand) id -> addChat(CONVERSATION, "MB1", id)),
                    Arguments.of("identity", (IdCommand) TestCommands::createUser),
                    Arguments.of("identity", (IdCommand) TestCommands::updateUser),
                    Arguments.of("identity", (IdCommand) TestCommands::deleteUser),
                    Arguments.of("roleSid", (IdCommand) TestCommands::createRole),
                    Arguments.of("roleSid", (IdCommand) id -> updateRole(id, "sendMessage")),
                    Arguments.of("roleSid", (IdCommand) TestCommands::deleteRole),
                    Arguments.of("messagingBinding.address", (IdCommand) id -> addSms(CONVERSATION, "MB1", id, "+1")),
                    Arguments.of("messagingBinding.proxyAddress", (IdCommand) id -> addSms(CONVERSATION, "MB1", "+1", id)),
                    Arguments.of("commandId", (IdCommand) id -> TestCommands.withCommandId(createConversation(CONVERSATION), id)),
                    Arguments.of("commandId", (IdCommand) id -> TestCommands.withCommandId(createUser("alice"), id)));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("idsOfEveryKind")
        void rejectsAnIdOrAddressWithTheNulCharacter(String field, IdCommand command) {
            assertThat(validate(command.with("ok-1"))).as("a plain id").isEmpty();
            assertInvalid(validate(command.with("a\u0000b")), field + " contains the NUL character");
        }

        static Stream<Arguments> idsThatMustNotBeBlank() {
            // a proxy address may be empty: an empty one and a missing one are different bindings
            return idsOfEveryKind().filter(a -> !a.get()[0].equals("messagingBinding.proxyAddress"));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("idsThatMustNotBeBlank")
        void rejectsABlankIdOrAddress(String field, IdCommand command) {
            assertInvalid(validate(command.with(" ")), field + " must not be empty");
        }

        @Test
        void rejectsMissingIds() {
            assertInvalid(validate(updateParticipant(CONVERSATION, null)), "participantSid is required");
            assertInvalid(validate(removeMessage(CONVERSATION, null)), "messageSid is required");
            assertInvalid(validate(deleteUser(null)), "identity is required");
            assertInvalid(validate(deleteRole(null)), "roleSid is required");
        }

        @Test
        void rejectsAConversationOrServiceSidWithTheNulCharacter() {
            Command conversation = Command.of(createConversation("CH\u00001"));
            assertInvalid(validator.validate(conversation, null), "conversationSid contains the NUL character");
            CreateUser user = CreateUser.newBuilder(createUser("alice")).setServiceSid("IS\u00001").build();
            assertInvalid(validator.validate(Command.of(user), null), "serviceSid contains the NUL character");
        }

        @Test
        void reportsTheFirstFailureOnly() {
            CreateConversation twoFaults = CreateConversation.newBuilder(createConversation(CONVERSATION))
                    .setFriendlyName(times(257, "n")).setAttributes(jsonOfBytes(20_000)).build();
            assertThat(rejection(validate(twoFaults)).code()).isEqualTo(RejectionCode.FRIENDLY_NAME_TOO_LONG);
        }
    }

    /** A command built around one id or address. */
    interface IdCommand {
        SpecificRecord with(String id);
    }

    @Nested
    class ClockSkew {

        @Test
        void acceptsATimestampAtTheSkewEitherWayAndRejectsOneMillisecondMore() {
            long now = 1_000_000;
            assertThat(CommandValidator.validateTimestamp(now + 5_000, now, 5_000)).isEmpty();
            assertThat(CommandValidator.validateTimestamp(now - 5_000, now, 5_000)).isEmpty();
            assertInvalid(CommandValidator.validateTimestamp(now + 5_001, now, 5_000),
                    "timestamp 1005001 is 5001 ms from the clock (1000000)", "at most 5000 ms");
            assertInvalid(CommandValidator.validateTimestamp(now - 5_001, now, 5_000), "is 5001 ms from the clock");
        }

        @Test
        void aSkewOfZeroTurnsTheCheckOff() {
            assertThat(CommandValidator.validateTimestamp(0, 1_800_000_000_000L, 0)).isEmpty();
        }
    }

    @Test
    void acceptsAWellFormedCommandOfEveryKind() {
        List<SpecificRecord> commands = List.of(createConversation(CONVERSATION), renameConversation(CONVERSATION, "n"),
                TestCommands.deleteConversation(CONVERSATION), addChat(CONVERSATION, "MB1", "alice"),
                addSms(CONVERSATION, "MB2", "+15550001", null), addWhatsapp(CONVERSATION, "MB3", "whatsapp:+1", "whatsapp:+2"),
                updateParticipant(CONVERSATION, "MB1"), removeParticipant(CONVERSATION, "MB1"),
                sendMessage(CONVERSATION, "IM1", "alice", "hi"), updateMessage(CONVERSATION, "IM1", null),
                removeMessage(CONVERSATION, "IM1"), createUser("alice"), updateUser("alice"), deleteUser("alice"),
                createRole("RL1"), updateRole("RL1", "sendMessage"), deleteRole("RL1"));
        for (SpecificRecord command : commands) {
            assertThat(validate(command)).as(command.getSchema().getName()).isEmpty();
        }
    }

    /** SPEC §9: a role names Twilio's permissions, each once; the acting identity is an identity (L3). */
    @Nested
    class Permissions {

        @Test
        void aRoleNamesTwilioPermissionsAndTheirAliases() {
            assertThat(validate(updateRole("RL1", "sendMessage", "addMember", "editAnyUserInfo"))).isEmpty();
            assertInvalid(validate(updateRole("RL1", "sendMesage")), "permission 'sendMesage' is none of", "sendMessage");
        }

        @Test
        void aRoleNamesEachPermissionOnce() {
            assertInvalid(validate(updateRole("RL1", "removeMember", "removeParticipant")),
                    "permission 'removeParticipant' is named twice (removeParticipant)");
            assertInvalid(validate(CreateRole.newBuilder(createRole("RL1"))
                    .setPermissions(List.of("sendMessage", "sendMessage")).build()), "named twice");
        }

        @Test
        void theActingIdentityIsHeldToL3() {
            SendMessage byAlice = sendMessage(CONVERSATION, "IM1", "alice", "hi");
            byAlice.setActingIdentity(times(256, EMOJI));
            byAlice.setAuthor(times(256, EMOJI));
            assertThat(validate(byAlice)).isEmpty();
            byAlice.setActingIdentity(times(257, "a"));
            assertThat(rejection(validate(byAlice)).code()).isEqualTo(RejectionCode.IDENTITY_TOO_LONG);
            assertThat(rejection(validate(byAlice)).reason()).contains("actingIdentity");
        }
    }
}
