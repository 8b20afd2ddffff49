package dev.synap.server.limit;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The reverse proxies whose forwarding headers are believed ({@code trusted.proxies}: addresses
 * and CIDR ranges). Behind a proxy every client has the proxy's socket address, so a budget keyed
 * by socket address lets one client sending bad keys lock out all the others; the client is then
 * the rightmost hop of {@code Forwarded} (RFC 7239, preferred) or {@code X-Forwarded-For} that is
 * not itself a trusted proxy. Hops further left were written by the client and prove nothing.
 * Without trusted proxies, or for a connection that does not come from one, the headers are
 * ignored: anyone can send them. Literals only, never DNS, so a header cannot trigger a lookup.
 */
public final class TrustedProxies {
  public static final TrustedProxies NONE = new TrustedProxies(List.of());
  /** A hop that is no address ({@code unknown}, an obfuscated name) keys a budget by its text, this long at most. */
  private static final int MAX_TOKEN = 64;

  private final List<Range> ranges;

  private TrustedProxies(List<Range> ranges) {
    this.ranges = ranges;
  }

  /**
   * Parses a comma-separated list such as {@code 127.0.0.1, 10.0.0.0/8, fd00::/8}.
   *
   * @throws IllegalArgumentException naming the entry that is not an address or range
   */
  public static TrustedProxies parse(String list) {
    if (list == null || list.isBlank()) return NONE;
    List<Range> ranges = new ArrayList<>();
    for (String raw : list.split(",")) {
      String entry = raw.strip();
      if (entry.isEmpty()) continue;
      int slash = entry.indexOf('/');
      InetAddress address = literal(slash < 0 ? entry : entry.substring(0, slash));
      int bits = address == null ? -1 : address.getAddress().length * 8;
      int prefix = bits;
      if (address != null && slash >= 0) {
        try {
          prefix = Integer.parseInt(entry.substring(slash + 1));
        } catch (NumberFormatException e) {
          prefix = -1;
        }
      }
      if (address == null || prefix < 0 || prefix > bits) {
        throw new IllegalArgumentException("trusted.proxies: '" + entry + "' is not an IP address or CIDR range (e.g. 10.0.0.0/8)");
      }
      ranges.add(new Range(address.getAddress(), prefix));
    }
    return new TrustedProxies(List.copyOf(ranges));
  }

  public boolean isEmpty() {
    return ranges.isEmpty();
  }

  /**
   * Who a request comes from, for budgets keyed by client.
   *
   * @param socketPeer the connection's remote address (literal)
   * @param forwarded values of every {@code Forwarded} header, in order received
   * @param forwardedFor values of every {@code X-Forwarded-For} header, in order received
   */
  public String clientOf(String socketPeer, List<String> forwarded, List<String> forwardedFor) {
    if (ranges.isEmpty() || socketPeer == null || !trusts(literal(host(socketPeer)))) return socketPeer;
    List<String> hops = forwarded.isEmpty() ? hops(forwardedFor, false) : hops(forwarded, true);
    for (int i = hops.size() - 1; i >= 0; i--) {
      InetAddress hop = literal(hops.get(i));
      // Not an address: what the trusted proxy asserted, and nothing further left can be checked.
      if (hop == null) return hops.get(i).length() > MAX_TOKEN ? hops.get(i).substring(0, MAX_TOKEN) : hops.get(i);
      if (!trusts(hop)) return hop.getHostAddress();
    }
    // No header, or every hop is one of our proxies: the nearest address is all we know.
    return hops.isEmpty() ? socketPeer : literal(hops.get(0)).getHostAddress();
  }

  private boolean trusts(InetAddress address) {
    if (address == null) return false;
    byte[] a = address.getAddress();
    for (Range r : ranges) if (r.contains(a)) return true;
    return false;
  }

  /** Hop tokens left to right: {@code for=} values of Forwarded elements, or X-Forwarded-For entries, ports and brackets removed. */
  private static List<String> hops(List<String> headers, boolean rfc7239) {
    List<String> out = new ArrayList<>();
    for (String header : headers) {
      if (header == null) continue;
      for (String element : header.split(",")) {
        String token = rfc7239 ? forParameter(element) : element.strip();
        if (token == null || token.isEmpty()) continue;
        out.add(host(token));
      }
    }
    return out;
  }

  private static String forParameter(String element) {
    for (String pair : element.split(";")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).strip().toLowerCase(Locale.ROOT).equals("for")) {
        String v = pair.substring(eq + 1).strip();
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) v = v.substring(1, v.length() - 1);
        return v;
      }
    }
    return null;
  }

  /** {@code [v6]:port} and {@code v4:port} to the address alone; a bare IPv6 address is left whole. */
  private static String host(String token) {
    if (token.startsWith("[")) {
      int close = token.indexOf(']');
      return close > 0 ? token.substring(1, close) : token;
    }
    int colon = token.indexOf(':');
    return colon > 0 && colon == token.lastIndexOf(':') ? token.substring(0, colon) : token;
  }

  /** An IP literal, or null: {@link InetAddress#ofLiteral} never resolves names. */
  private static InetAddress literal(String s) {
    if (s == null || s.isEmpty() || s.length() > 45) return null;
    try {
      return InetAddress.ofLiteral(s);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private record Range(byte[] network, int prefix) {
    boolean contains(byte[] address) {
      if (address.length != network.length) return false;
      int full = prefix / 8;
      for (int i = 0; i < full; i++) if (address[i] != network[i]) return false;
      int rest = prefix % 8;
      if (rest == 0) return true;
      int mask = (0xff << (8 - rest)) & 0xff;
      return (address[full] & mask) == (network[full] & mask);
    }
  }
}
