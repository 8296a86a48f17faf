package io.convo.rules;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import io.convo.model.AddParticipant;
import io.convo.model.BindingType;
import io.convo.model.Channel;
import io.convo.model.CreateConversation;
import io.convo.model.CreateRole;
import io.convo.model.CreateUser;
import io.convo.model.DeleteRole;
import io.convo.model.DeleteUser;
import io.convo.model.Media;
import io.convo.model.MessagingBinding;
import io.convo.model.RejectionCode;
import io.convo.model.RemoveMessage;
import io.convo.model.RemoveParticipant;
import io.convo.model.SendMessage;
import io.convo.model.UpdateConversation;
import io.convo.model.UpdateMessage;
import io.convo.model.UpdateParticipant;
import io.convo.model.UpdateRole;
import io.convo.model.UpdateUser;
import io.convo.model.serde.AvroSize;
import io.convo.rules.permission.Permission;
import io.convo.rules.state.StateKeys;
import java.io.IOException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;

/**
 * Step 1 of SPEC §3: field validation (L1–L5, L5a, L11–L13 and {@code INVALID_COMMAND}). It needs no state but
 * the author's channel, which decides whether a message's media are checked against L11, L12 or L13.
 */
public final class CommandValidator {

    private static final JsonFactory JSON = new JsonFactory();

    private final Limits limits;

    public CommandValidator(Limits limits) {
        this.limits = limits;
    }

    /**
     * Validates a command's fields (its record key is {@link #validateKey}'s).
     *
     * @param authorChannel for SendMessage: the channel of the participant the author names, or null when the
     *                      author is no participant (then the chat limits apply)
     */
    public Optional<Rejection> validate(Command header, Channel authorChannel) {
        Check c = new Check();
        c.commandSize(header.body());
        c.id("commandId", header.commandId());
        c.id("serviceSid", header.serviceSid());
        SpecificRecord command = header.body();
        if (header.conversationSid() != null) {
            c.id("conversationSid", header.conversationSid());
        }
        if (header.actingIdentity() != null) {
            c.identity("actingIdentity", header.actingIdentity());
        }
        if (command instanceof CreateConversation cc) {
            c.friendlyName(cc.getFriendlyName());
            c.attributes(cc.getAttributes(), limits.conversationAttributesBytes());
        } else if (command instanceof UpdateConversation uc) {
            c.friendlyName(uc.getFriendlyName());
            c.attributes(uc.getAttributes(), limits.conversationAttributesBytes());
        } else if (command instanceof AddParticipant ap) {
            addParticipant(c, ap);
        } else if (command instanceof UpdateParticipant up) {
            c.id("participantSid", up.getParticipantSid());
            c.optionalId("roleSid", up.getRoleSid());
            c.attributes(up.getAttributes(), limits.participantAttributesBytes());
            if (up.getLastReadMessageIndex() != null && up.getLastReadMessageIndex() < 0) {
                c.fail(Rejection.invalid("lastReadMessageIndex is " + up.getLastReadMessageIndex() + "; it must not be negative"));
            }
        } else if (command instanceof RemoveParticipant rp) {
            c.id("participantSid", rp.getParticipantSid());
        } else if (command instanceof SendMessage sm) {
            sendMessage(c, sm, authorChannel);
        } else if (command instanceof UpdateMessage um) {
            c.id("messageSid", um.getMessageSid());
            c.body(um.getBody());
            c.attributes(um.getAttributes(), limits.messageAttributesBytes());
        } else if (command instanceof RemoveMessage rm) {
            c.id("messageSid", rm.getMessageSid());
        } else if (command instanceof CreateUser u) {
            c.identity(u.getIdentity());
            c.optionalId("roleSid", u.getRoleSid());
            c.attributes(u.getAttributes(), limits.userAttributesBytes());
        } else if (command instanceof UpdateUser u) {
            c.identity(u.getIdentity());
            c.optionalId("roleSid", u.getRoleSid());
            c.attributes(u.getAttributes(), limits.userAttributesBytes());
        } else if (command instanceof DeleteUser u) {
            c.identity(u.getIdentity());
        } else if (command instanceof CreateRole r) {
            c.id("roleSid", r.getRoleSid());
            c.required("friendlyName", r.getFriendlyName());
            c.required("roleType", r.getRoleType());
            c.permissions(r.getPermissions());
        } else if (command instanceof UpdateRole r) {
            c.id("roleSid", r.getRoleSid());
            c.permissions(r.getPermissions());
        } else if (command instanceof DeleteRole r) {
            c.id("roleSid", r.getRoleSid());
        }
        return Optional.ofNullable(c.rejection);
    }

    private void addParticipant(Check c, AddParticipant ap) {
        c.id("participantSid", ap.getParticipantSid());
        MessagingBinding binding = ap.getMessagingBinding();
        if ((ap.getIdentity() == null) == (binding == null)) {
            c.fail(Rejection.invalid("exactly one of identity and messagingBinding is required"));
        } else if (ap.getIdentity() != null) {
            c.identity(ap.getIdentity());
            c.length("projectedAddress", ap.getProjectedAddress(), limits.addressChars(), RejectionCode.ADDRESS_TOO_LONG);
        } else {
            if (ap.getProjectedAddress() != null) {
                c.fail(Rejection.invalid("projectedAddress is for chat participants only"));
            }
            c.required("messagingBinding.type", binding.getType());
            c.required("messagingBinding.address", binding.getAddress());
            c.notBlank("messagingBinding.address", binding.getAddress());
            c.length("messagingBinding.address", binding.getAddress(), limits.addressChars(), RejectionCode.ADDRESS_TOO_LONG);
            c.length("messagingBinding.proxyAddress", binding.getProxyAddress(), limits.proxyAddressChars(),
                    RejectionCode.PROXY_ADDRESS_TOO_LONG);
            c.noNul("messagingBinding.address", binding.getAddress());
            c.noNul("messagingBinding.proxyAddress", binding.getProxyAddress());
            if (binding.getType() == BindingType.whatsapp && binding.getProxyAddress() == null) {
                c.fail(Rejection.invalid("messagingBinding.proxyAddress is required for a whatsapp binding"));
            }
        }
        c.optionalId("roleSid", ap.getRoleSid());
        c.attributes(ap.getAttributes(), limits.participantAttributesBytes());
    }

    private void sendMessage(Check c, SendMessage sm, Channel authorChannel) {
        c.id("messageSid", sm.getMessageSid());
        c.required("author", sm.getAuthor());
        c.notBlank("author", sm.getAuthor());
        List<Media> media = sm.getMedia() == null ? List.of() : sm.getMedia();
        if ((sm.getBody() == null || sm.getBody().isEmpty()) && media.isEmpty()) {
            c.fail(Rejection.invalid("a message needs a body or media"));
        }
        c.body(sm.getBody());
        for (int i = 0; i < media.size(); i++) {
            Media m = media.get(i);
            c.required("media[" + i + "]", m);
            if (m == null) {
                break;
            }
            c.required("media[" + i + "].contentType", m.getContentType());
            c.notBlank("media[" + i + "].contentType", m.getContentType());
            c.required("media[" + i + "].size", m.getSize());
            if (m.getSize() != null && m.getSize() < 0) {
                c.fail(Rejection.invalid("media[" + i + "].size is " + m.getSize() + "; it must not be negative"));
            }
        }
        if (c.rejection == null) {
            mediaLimits(c, media, authorChannel == null ? Channel.chat : authorChannel);
        }
        c.attributes(sm.getAttributes(), limits.messageAttributesBytes());
    }

    /** L11 for chat authors, L12 for SMS (MMS) authors, L13 for WhatsApp authors. */
    private void mediaLimits(Check c, List<Media> media, Channel author) {
        long total = 0;
        for (Media m : media) {
            total += m.getSize();
        }
        switch (author) {
            case sms, mms -> {
                if (media.size() > limits.mmsFiles()) {
                    c.fail(Rejection.limit(RejectionCode.MMS_MEDIA_LIMIT, limits.mmsFiles(),
                                    "an MMS has " + media.size() + " files; the limit is " + limits.mmsFiles())
                            .withTwilioCode(RejectionCode.MMS_TOO_MANY_FILES_TWILIO_CODE));
                    return;
                }
                for (int i = 0; i < media.size(); i++) {
                    long size = media.get(i).getSize();
                    if (size > limits.mmsFileBytes()) {
                        c.fail(Rejection.limit(RejectionCode.MMS_MEDIA_LIMIT, limits.mmsFileBytes(),
                                "media[" + i + "] is " + size + " bytes; an MMS file may be at most " + limits.mmsFileBytes() + " bytes"));
                        return;
                    }
                }
                if (total > limits.mmsTotalBytes()) {
                    c.fail(Rejection.limit(RejectionCode.MMS_MEDIA_LIMIT, limits.mmsTotalBytes(),
                            "an MMS has " + total + " bytes of media; the limit is " + limits.mmsTotalBytes() + " bytes"));
                }
            }
            case whatsapp -> {
                if (media.size() > limits.whatsappFiles()) {
                    c.fail(Rejection.limit(RejectionCode.WHATSAPP_MEDIA_LIMIT, limits.whatsappFiles(),
                            "a WhatsApp message has " + media.size() + " files; the limit is " + limits.whatsappFiles()));
                    return;
                }
                for (int i = 0; i < media.size(); i++) {
                    long size = media.get(i).getSize();
                    if (size > limits.whatsappFileBytes()) {
                        c.fail(Rejection.limit(RejectionCode.WHATSAPP_MEDIA_LIMIT, limits.whatsappFileBytes(),
                                "media[" + i + "] is " + size + " bytes; a WhatsApp file may be at most " + limits.whatsappFileBytes() + " bytes"));
                        return;
                    }
                }
            }
            case chat -> {
                for (int i = 0; i < media.size(); i++) {
                    long size = media.get(i).getSize();
                    if (size > limits.chatMediaFileBytes()) {
                        c.fail(Rejection.limit(RejectionCode.MEDIA_TOO_LARGE, limits.chatMediaFileBytes(),
                                "media[" + i + "] is " + size + " bytes; the limit is " + limits.chatMediaFileBytes() + " bytes"));
                        return;
                    }
                }
            }
        }
    }

    /** Collects the first failure; later checks are skipped once one failed. */
    private final class Check {
        Rejection rejection;

        void fail(Rejection r) {
            if (rejection == null) {
                rejection = r;
            }
        }

        void required(String field, Object value) {
            if (value == null) {
                fail(Rejection.invalid(field + " is required"));
            }
        }

        void notBlank(String field, String value) {
            if (value != null && value.isBlank()) {
                fail(Rejection.invalid(field + " must not be empty"));
            }
        }

        /** Every record a command leads to is about its size or smaller: bounding it bounds them (RecordBounds). */
        void commandSize(SpecificRecord command) {
            long bytes = AvroSize.of(command);
            if (bytes > limits.commandBytes()) {
                fail(Rejection.limit(RejectionCode.COMMAND_TOO_LARGE, limits.commandBytes(), "the command is " + bytes
                        + " bytes (Avro binary); a command may be at most " + limits.commandBytes()
                        + " bytes (convo.limits.command-bytes)"));
            }
        }

        /** Ids become parts of store keys, so they are bounded (convo.limits.id-chars) and hold no U+0000. */
        void id(String field, String value) {
            present(field, value);
            if (value != null) {
                int n = Sizes.chars(value);
                if (n > limits.idChars()) {
                    fail(Rejection.invalid(field + " is " + n + " characters; ids are at most " + limits.idChars()
                            + " (convo.limits.id-chars)"));
                }
            }
        }

        /** Given, not blank, and fit for a store key. */
        void present(String field, String value) {
            required(field, value);
            notBlank(field, value);
            noNul(field, value);
        }

        /** An id a command may leave out: when given, it is held to the same rules. */
        void optionalId(String field, String value) {
            if (value != null) {
                id(field, value);
            }
        }

        /** Identities, ids and addresses become parts of store keys joined by U+0000 (see StateKeys). */
        void noNul(String field, String value) {
            if (value != null && value.indexOf(StateKeys.SEPARATOR) >= 0) {
                fail(Rejection.invalid(field + " contains the NUL character"));
            }
        }

        void length(String field, String value, int limit, RejectionCode code) {
            if (value != null) {
                int n = Sizes.chars(value);
                if (n > limit) {
                    fail(Rejection.limit(code, limit, field + " is " + n + " characters; the limit is " + limit));
                }
            }
        }

        void friendlyName(String value) {
            length("friendlyName", value, limits.friendlyNameChars(), RejectionCode.FRIENDLY_NAME_TOO_LONG);
        }

        /** An identity is held to L3, not to the id limit. */
        void identity(String value) {
            identity("identity", value);
        }

        void identity(String field, String value) {
            present(field, value);
            length(field, value, limits.identityChars(), RejectionCode.IDENTITY_TOO_LONG);
        }

        void body(String value) {
            if (value != null) {
                long n = Sizes.utf8Bytes(value);
                if (n > limits.bodyBytes()) {
                    fail(Rejection.limit(RejectionCode.BODY_TOO_LONG, limits.bodyBytes(),
                            "body is " + n + " bytes; the limit is " + limits.bodyBytes() + " bytes"));
                }
            }
        }

        void attributes(String value, int limit) {
            if (value == null || rejection != null) {
                return;
            }
            long n = Sizes.utf8Bytes(value);
            if (n > limit) {
                fail(Rejection.limit(RejectionCode.ATTRIBUTES_TOO_LONG, limit,
                        "attributes are " + n + " bytes; the limit is " + limit + " bytes"));
            } else if (!isJson(value)) {
                fail(Rejection.invalid("attributes are not valid JSON"));
            }
        }

        void permissions(List<String> permissions) {
            if (permissions == null || permissions.isEmpty()) {
                fail(Rejection.invalid("permissions must name at least one permission"));
                return;
            }
            // A misspelt name would grant nothing, silently: only Twilio's names (and their aliases) are taken,
            // each once, so a role's record is bounded by the set of permissions, not by the command's size.
            EnumSet<Permission> seen = EnumSet.noneOf(Permission.class);
            for (String name : permissions) {
                Permission p = Permission.named(name);
                if (p == null) {
                    fail(Rejection.invalid("permission '" + name + "' is none of " + Arrays.toString(Permission.values())));
                    return;
                }
                if (!seen.add(p)) {
                    fail(Rejection.invalid("permission '" + name + "' is named twice (" + p + ")"));
                    return;
                }
            }
        }
    }

    /**
     * Rejects a command whose timestamp is more than {@code maxSkewMs} from {@code nowMs} either way; 0 disables
     * the check. Part of step 1: such a command is not an action.
     */
    public static Optional<Rejection> validateTimestamp(long timestamp, long nowMs, long maxSkewMs) {
        if (maxSkewMs <= 0 || Math.abs((double) timestamp - nowMs) <= maxSkewMs) {
            return Optional.empty();
        }
        return Optional.of(Rejection.invalid("timestamp " + timestamp + " is " + Math.abs(timestamp - nowMs)
                + " ms from the clock (" + nowMs + "); at most " + maxSkewMs + " ms are allowed"));
    }

    /**
     * Whether a command belongs under its record key: a conversation command's conversationSid, a service
     * command's serviceSid. The pipeline asks this before the idempotency check, because the memory it would ask
     * is the memory of the partition the wrong key hashes to: checked later, the same bytes under a wrong key got
     * {@code INVALID_COMMAND} on one partition and {@code DUPLICATE_COMMAND} on another.
     */
    public static Optional<Rejection> validateKey(Command header, String key) {
        boolean conversation = header.conversationSid() != null;
        String value = conversation ? header.conversationSid() : header.serviceSid();
        if (value == null || value.equals(key)) {
            return Optional.empty();
        }
        String field = conversation ? "conversationSid" : "serviceSid";
        return Optional.of(Rejection.invalid(field + " '" + value + "' does not match the record key '" + key + "'"));
    }

    /** Streams the tokens instead of building a tree: attributes can be 16 KB and arrive at every command. */
    static boolean isJson(String value) {
        try (JsonParser p = JSON.createParser(value)) {
            if (p.nextToken() == null) {
                return false;
            }
            p.skipChildren();
            return p.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }
}
