package tandem.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * An address to listen on, written {@code host:port}: {@code 127.0.0.1:6432}, {@code [::1]:6432},
 * {@code localhost:6432}, {@code 0.0.0.0:6432}. Port 0 picks a free port (tests use it).
 *
 * <p>The host is required: {@code :6432} is an error rather than a quiet "every interface", because
 * a proxy that accepts connections from the whole network should be a decision someone wrote down
 * ({@code 0.0.0.0:6432}). IPv6 addresses go in brackets so the port can't be mistaken for part of
 * the address.
 *
 * @param host a host name, an IPv4 address, or an IPv6 address without brackets
 */
public record HostPort(String host, int port) {

    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_])?");
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+(%[A-Za-z0-9_.-]+)?");
    private static final String EXAMPLE = "host:port such as 127.0.0.1:6432";

    public HostPort {
        if (host == null || !isValidHost(host)) {
            throw new IllegalArgumentException("invalid host '" + host + "'");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range (expected: 0 to 65535)");
        }
    }

    /** {@code 127.0.0.1:port}. */
    public static HostPort loopback(int port) {
        return new HostPort("127.0.0.1", port);
    }

    /**
     * Parses {@code host:port}. The exception's message names the text and says how to write it, to
     * be put after the key's path.
     */
    public static HostPort parse(String text) {
        String s = text.strip();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("is empty; expected " + EXAMPLE);
        }
        String host;
        String portText;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException(q(text) + " is missing the ']' that closes the IPv6 address");
            }
            host = s.substring(1, close);
            if (close + 1 >= s.length() || s.charAt(close + 1) != ':') {
                throw new IllegalArgumentException(q(text) + " has no port; expected [address]:port such as [::1]:6432");
            }
            portText = s.substring(close + 2);
            if (!isIpv6(host)) {
                throw new IllegalArgumentException(q(text) + " has an invalid IPv6 address '" + host + "'");
            }
        } else {
            int colon = s.lastIndexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException(q(text) + (s.chars().allMatch(Character::isDigit)
                        ? " has no host; expected " + EXAMPLE
                        : " has no port; expected " + EXAMPLE));
            }
            if (s.indexOf(':') != colon) {
                throw new IllegalArgumentException(q(text) + ": write an IPv6 address in brackets, as in [::1]:6432");
            }
            host = s.substring(0, colon);
            portText = s.substring(colon + 1);
            if (host.isEmpty()) {
                throw new IllegalArgumentException(q(text) + " names no host; write 127.0.0.1" + s
                        + " to accept connections from this machine only, or 0.0.0.0" + s + " for every interface");
            }
            if (!isValidHost(host)) {
                throw new IllegalArgumentException(q(text) + " has an invalid host '" + host + "'");
            }
        }
        if (portText.isEmpty() || !portText.chars().allMatch(Character::isDigit) || portText.length() > 9) {
            throw new IllegalArgumentException(q(text) + " has an invalid port '" + portText + "' (expected: 0 to 65535)");
        }
        int port = Integer.parseInt(portText);
        if (port > 65535) {
            throw new IllegalArgumentException(q(text) + " has port " + port + " out of range (expected: 0 to 65535)");
        }
        return new HostPort(host, port);
    }

    /**
     * Whether only this machine can connect: {@code localhost}, {@code 127.0.0.0/8} or {@code ::1}.
     * Any other host name counts as not loopback, because resolving names while reading the
     * configuration would make its meaning depend on DNS.
     */
    public boolean isLoopback() {
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        InetAddress address = literal();
        return address != null && address.isLoopbackAddress();
    }

    /** The address to bind; resolves a host name. */
    public InetSocketAddress toSocketAddress() {
        return new InetSocketAddress(host, port);
    }

    /** {@code host:port}, with IPv6 addresses in brackets; {@link #parse} reads it back. */
    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** The address when the host is an IP literal, else null; never asks DNS. */
    private InetAddress literal() {
        if (!IPV4.matcher(host).matches() && !isIpv6(host)) {
            return null;
        }
        try {
            // brackets make the JDK treat the text as an IPv6 literal instead of looking it up
            return InetAddress.getByName(host.indexOf(':') >= 0 ? "[" + host + "]" : host);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static boolean isValidHost(String host) {
        var ipv4 = IPV4.matcher(host);
        if (ipv4.matches()) {
            for (int i = 1; i <= 4; i++) {
                if (Integer.parseInt(ipv4.group(i)) > 255) {
                    return false;
                }
            }
            return true;
        }
        return isIpv6(host) || HOST_NAME.matcher(host).matches();
    }

    private static boolean isIpv6(String host) {
        if (host.indexOf(':') < 0 || !IPV6.matcher(host).matches()) {
            return false;
        }
        try {
            InetAddress.getByName("[" + host + "]");
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static String q(String text) {
        return "'" + text + "'";
    }
}
