package io.convo.model;

import org.apache.avro.specific.SpecificRecord;

import java.util.ArrayList;
import java.util.List;

/** One fully populated instance of every record type of the wire model, for round-trip tests. */
public final class Fixtures {

    public static final long T = 1_800_000_000_000L;

    private Fixtures() {
    }

    /** Every conversation command with every field set. */
    public static List<Object> conversationCommands() {
        return List.of(
            CreateConversation.newBuilder().setCommandId("c1").setServiceSid("IS1").setTimestamp(T)
                .setConversationSid("CH1").setFriendlyName("Support \"chat\" ✓").setUniqueName("support-1")
                .setAttributes("{\"priority\":1}").setState(ConversationState.inactive).build(),
            UpdateConversation.newBuilder().setCommandId("c2").setServiceSid("IS1").setTimestamp(T + 1)
                .setConversationSid("CH1").setFriendlyName("Renamed").setAttributes("{}")
                .setState(ConversationState.closed).build(),
            DeleteConversation.newBuilder().setCommandId("c3").setServiceSid("IS1").setTimestamp(T + 2)
                .setConversationSid("CH1").build(),
            AddParticipant.newBuilder().setCommandId("c4").setServiceSid("IS1").setTimestamp(T + 3)
                .setConversationSid("CH1").setParticipantSid("MB1").setIdentity("alice")
                .setProjectedAddress("+15550001").setMessagingBinding(MessagingBinding.newBuilder()
                    .setType(BindingType.whatsapp).setAddress("whatsapp:+15550002").setProxyAddress("whatsapp:+15550003").build())
                .setRoleSid("RL1").setAttributes("{\"a\":true}").build(),
            UpdateParticipant.newBuilder().setCommandId("c5").setServiceSid("IS1").setTimestamp(T + 4)
                .setConversationSid("CH1").setParticipantSid("MB1").setAttributes("{}").setRoleSid("RL2")
                .setLastReadMessageIndex(41L).build(),
            RemoveParticipant.newBuilder().setCommandId("c6").setServiceSid("IS1").setTimestamp(T + 5)
                .setConversationSid("CH1").setParticipantSid("MB1").build(),
            SendMessage.newBuilder().setCommandId("c7").setServiceSid("IS1").setTimestamp(T + 6)
                .setConversationSid("CH1").setMessageSid("IM1").setAuthor("alice").setBody("hello\nworld")
                .setMedia(List.of(new Media("image/jpeg", 1024L, "a.jpg"), new Media("application/pdf", 2_000_000L, "b.pdf")))
                .setAttributes("{\"k\":\"v\"}").build(),
            UpdateMessage.newBuilder().setCommandId("c8").setServiceSid("IS1").setTimestamp(T + 7)
                .setConversationSid("CH1").setMessageSid("IM1").setBody("edited").setAttributes("{}").build(),
            RemoveMessage.newBuilder().setCommandId("c9").setServiceSid("IS1").setTimestamp(T + 8)
                .setConversationSid("CH1").setMessageSid("IM1").build());
    }

    /** Every service command with every field set. */
    public static List<Object> serviceCommands() {
        return List.of(
            CreateUser.newBuilder().setCommandId("s1").setServiceSid("IS1").setTimestamp(T).setIdentity("alice")
                .setFriendlyName("Alice").setAttributes("{}").setRoleSid("RL1").build(),
            UpdateUser.newBuilder().setCommandId("s2").setServiceSid("IS1").setTimestamp(T).setIdentity("alice")
                .setFriendlyName("Alice B").setAttributes("{\"x\":1}").setRoleSid("RL2").build(),
            DeleteUser.newBuilder().setCommandId("s3").setServiceSid("IS1").setTimestamp(T).setIdentity("alice").build(),
            CreateRole.newBuilder().setCommandId("s4").setServiceSid("IS1").setTimestamp(T).setRoleSid("RL1")
                .setFriendlyName("admin").setRoleType(RoleType.service).setPermissions(List.of("addMember", "removeMember")).build(),
            UpdateRole.newBuilder().setCommandId("s5").setServiceSid("IS1").setTimestamp(T).setRoleSid("RL1")
                .setFriendlyName("admins").setRoleType(RoleType.conversation).setPermissions(List.of("sendMessage")).build(),
            DeleteRole.newBuilder().setCommandId("s6").setServiceSid("IS1").setTimestamp(T).setRoleSid("RL1").build());
    }

    /** Every command in its envelope, some events of both envelopes, a rejection, a delivery and a receipt. */
    public static List<SpecificRecord> everyTopLevelRecord() {
        List<SpecificRecord> records = new ArrayList<>();
        conversationCommands().forEach(c -> records.add(conversationCommand(c)));
        serviceCommands().forEach(c -> records.add(serviceCommand(c)));
        records.add(conversationCreated());
        records.add(messageAdded());
        records.add(roleCreated());
        records.add(rateLimited());
        records.add(delivery());
        records.add(receipt());
        return records;
    }

    public static ConversationCommand conversationCommand(Object command) {
        return ConversationCommand.newBuilder().setCommand(command).build();
    }

    public static ServiceCommand serviceCommand(Object command) {
        return ServiceCommand.newBuilder().setCommand(command).build();
    }

    public static ConversationEvent conversationCreated() {
        return new ConversationEvent(ConversationCreated.newBuilder().setCommandId("c1").setServiceSid("IS1")
            .setTimestamp(T).setConversationSid("CH1").setFriendlyName("Support").setState(ConversationState.active).build());
    }

    public static ConversationEvent messageAdded() {
        return new ConversationEvent(MessageAdded.newBuilder().setCommandId("c7").setServiceSid("IS1").setTimestamp(T)
            .setConversationSid("CH1").setMessageSid("IM1").setIndex(0L).setAuthor("alice").setBody("hi")
            .setMedia(List.of(new Media("image/png", 10L, null))).build());
    }

    public static ServiceEvent roleCreated() {
        return new ServiceEvent(RoleCreated.newBuilder().setCommandId("s4").setServiceSid("IS1").setTimestamp(T)
            .setRoleSid("RL1").setFriendlyName("admin").setRoleType(RoleType.service).setPermissions(List.of("a", "b")).build());
    }

    public static CommandRejected rateLimited() {
        return CommandRejected.newBuilder().setCommandId("c4").setCommandType("AddParticipant").setKey("CH1")
            .setServiceSid("IS1").setConversationSid("CH1").setCode("RATE_LIMITED").setTwilioCode(50063)
            .setReason("31 actions in 1 s for conversation CH1; limit 30").setScope(RateLimitScope.conversation)
            .setLimit(30L).setRetryAfterMs(250L).setTimestamp(T).build();
    }

    public static Delivery delivery() {
        return Delivery.newBuilder().setMessageSid("IM1").setConversationSid("CH1").setServiceSid("IS1").setIndex(3L)
            .setParticipantSid("MB2").setChannel(Channel.mms).setTo("+15550002").setFrom("+15550003").setAuthor("alice")
            .setBody(null).setMedia(List.of(new Media("image/jpeg", 100L, "x.jpg"))).setBodyDropped(true)
            .setRecipients(List.of("+15550002", "+15550004")).setTimestamp(T).build();
    }

    public static DeliveryReceipt receipt() {
        return DeliveryReceipt.newBuilder().setMessageSid("IM1").setConversationSid("CH1").setParticipantSid("MB2")
            .setStatus(DeliveryStatus.failed).setChannel(Channel.sms).setCode("OUTBOUND_BODY_TOO_LONG")
            .setReason("1601 characters; limit 1600").setTimestamp(T).build();
    }
}
