package tandem.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HostPortTest {

    @ParameterizedTest
    @CsvSource({
        "127.0.0.1:6432, 127.0.0.1, 6432",
        "[::1]:6432, ::1, 6432",
        "localhost:0, localhost, 0",
        "0.0.0.0:65535, 0.0.0.0, 65535",
        "db.internal:5432, db.internal, 5432",
        "[fe80::1%eth0]:1, fe80::1%eth0, 1",
    })
    void parsesHostAndPort(String text, String host, int port) {
        HostPort parsed = HostPort.parse(text);

        assertThat(parsed).isEqualTo(new HostPort(host, port));
        assertThat(parsed).hasToString(text);
    }

    @Test
    void aMissingHostIsAnErrorThatOffersBothChoices() {
        assertThatThrownBy(() -> HostPort.parse(":6432")).hasMessage("':6432' names no host; write 127.0.0.1:6432 to"
                + " accept connections from this machine only, or 0.0.0.0:6432 for every interface");
        assertThatThrownBy(() -> HostPort.parse("6432"))
                .hasMessage("'6432' has no host; expected host:port such as 127.0.0.1:6432");
    }

    @Test
    void aMissingPortIsAnError() {
        assertThatThrownBy(() -> HostPort.parse("localhost"))
                .hasMessage("'localhost' has no port; expected host:port such as 127.0.0.1:6432");
        assertThatThrownBy(() -> HostPort.parse("[::1]"))
                .hasMessage("'[::1]' has no port; expected [address]:port such as [::1]:6432");
        assertThatThrownBy(() -> HostPort.parse("localhost:"))
                .hasMessage("'localhost:' has an invalid port '' (expected: 0 to 65535)");
    }

    @Test
    void portsOutOfRangeAreRejected() {
        assertThatThrownBy(() -> HostPort.parse("127.0.0.1:65536"))
                .hasMessage("'127.0.0.1:65536' has port 65536 out of range (expected: 0 to 65535)");
        assertThatThrownBy(() -> HostPort.parse("127.0.0.1:-1"))
                .hasMessage("'127.0.0.1:-1' has an invalid port '-1' (expected: 0 to 65535)");
        assertThatThrownBy(() -> new HostPort("127.0.0.1", 70000))
                .hasMessage("port 70000 is out of range (expected: 0 to 65535)");
    }

    @Test
    void ipv6WithoutBracketsIsRejected() {
        assertThatThrownBy(() -> HostPort.parse("::1:6432"))
                .hasMessage("'::1:6432': write an IPv6 address in brackets, as in [::1]:6432");
    }

    @Test
    void invalidHostsAreRejected() {
        assertThatThrownBy(() -> HostPort.parse("300.1.1.1:1")).hasMessage("'300.1.1.1:1' has an invalid host '300.1.1.1'");
        assertThatThrownBy(() -> HostPort.parse("my host:1")).hasMessage("'my host:1' has an invalid host 'my host'");
        assertThatThrownBy(() -> HostPort.parse("[zz::1]:1")).hasMessage("'[zz::1]:1' has an invalid IPv6 address 'zz::1'");
        assertThatThrownBy(() -> HostPort.parse("[::1:1")).hasMessage("'[::1:1' is missing the ']' that closes the IPv6 address");
    }

    @Test
    void loopbackMeansOnlyThisMachine() {
        assertThat(HostPort.parse("127.0.0.1:1").isLoopback()).isTrue();
        assertThat(HostPort.parse("127.1.2.3:1").isLoopback()).isTrue();
        assertThat(HostPort.parse("[::1]:1").isLoopback()).isTrue();
        assertThat(HostPort.parse("LOCALHOST:1").isLoopback()).isTrue();
        assertThat(HostPort.parse("0.0.0.0:1").isLoopback()).isFalse();
        assertThat(HostPort.parse("[::]:1").isLoopback()).isFalse();
        assertThat(HostPort.parse("10.0.0.5:1").isLoopback()).isFalse();
    }

    @Test
    void hostNamesOtherThanLocalhostAreNotLoopbackEvenIfTheyResolveToIt() {
        assertThat(HostPort.parse("ip6-localhost:1").isLoopback()).isFalse();
        assertThat(HostPort.parse("db.internal:1").isLoopback()).isFalse();
    }

    @Test
    void givesASocketAddressToBind() {
        assertThat(HostPort.loopback(0).toSocketAddress().getAddress().isLoopbackAddress()).isTrue();
        assertThat(HostPort.loopback(0).toSocketAddress().getPort()).isZero();
    }
}
