package io.convo.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** HTTP Basic auth by account or API key, and the services each account owns. */
class AccountsTest {

    private static final String ACCOUNT = "AC" + "a".repeat(32);
    private static final String OTHER = "AC" + "b".repeat(32);
    private static final String KEY = "SK" + "c".repeat(32);
    private static final String SERVICE = "IS" + "d".repeat(32);

    private static Accounts accounts() {
        Properties config = new Properties();
        config.setProperty(RestConfig.ACCOUNTS.name(), ACCOUNT + ":token-a, " + OTHER + ":token-b");
        config.setProperty(RestConfig.API_KEYS.name(), KEY + ":secret:" + ACCOUNT);
        config.setProperty(RestConfig.SERVICES.name(), ACCOUNT + ":" + SERVICE);
        return Accounts.from(config);
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anAccountSidAndTokenOrAnApiKeyAndSecretAuthenticateTheAccount() {
        Accounts accounts = accounts();
        assertThat(accounts.authenticate(basic(ACCOUNT, "token-a")).sid()).isEqualTo(ACCOUNT);
        assertThat(accounts.authenticate(basic(KEY, "secret")).sid()).isEqualTo(ACCOUNT);
        assertThat(accounts.authenticate(basic(ACCOUNT, "token-b"))).isNull();
        assertThat(accounts.authenticate(basic(KEY, "token-a"))).isNull();
        assertThat(accounts.authenticate("Bearer x")).isNull();
        assertThat(accounts.authenticate("Basic !!!")).isNull();
        assertThat(accounts.authenticate(null)).isNull();
    }

    @Test
    void anAccountOwnsItsDefaultServiceAndTheConfiguredOnesOnly() {
        Accounts accounts = accounts();
        Accounts.Account a = accounts.authenticate(basic(ACCOUNT, "token-a"));
        Accounts.Account b = accounts.authenticate(basic(OTHER, "token-b"));
        assertThat(a.defaultService()).isEqualTo(TwilioSids.defaultService(ACCOUNT)).matches("IS[0-9a-f]{32}");
        assertThat(a.owns(a.defaultService())).isTrue();
        assertThat(a.owns(SERVICE)).isTrue();
        assertThat(b.owns(SERVICE)).isFalse();
        assertThat(b.owns(a.defaultService())).isFalse();
    }

    @Test
    void refusesMalformedEntriesNamingTheKey() {
        Properties config = new Properties();
        config.setProperty(RestConfig.ACCOUNTS.name(), "AC123:token");
        assertThatThrownBy(() -> Accounts.from(config)).hasMessageContaining(RestConfig.ACCOUNTS.name())
                .hasMessageContaining("32 hex");
        config.setProperty(RestConfig.ACCOUNTS.name(), ACCOUNT);
        assertThatThrownBy(() -> Accounts.from(config)).hasMessageContaining("non-empty parts");
        config.setProperty(RestConfig.ACCOUNTS.name(), ACCOUNT + ":t");
        config.setProperty(RestConfig.SERVICES.name(), OTHER + ":" + SERVICE);
        assertThatThrownBy(() -> Accounts.from(config)).hasMessageContaining(RestConfig.SERVICES.name())
                .hasMessageContaining("not in");
    }
}
