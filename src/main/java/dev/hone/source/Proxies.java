package dev.hone.source;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The HTTP proxy for a git URL, from the server's environment as git and curl read it: {@code https_proxy} for
 * https, {@code http_proxy} for http ({@code HTTPS_PROXY}, {@code HTTP_PROXY} too; {@code all_proxy} for both), and
 * {@code no_proxy} (host names, {@code .domain} suffixes or {@code *}) for hosts reached directly. Without any of
 * them, the JVM's proxy settings ({@code -Dhttps.proxyHost=…}) apply.
 */
final class Proxies extends ProxySelector {

    private final URI https;
    private final URI http;
    private final List<String> noProxy;

    private Proxies(URI https, URI http, List<String> noProxy) {
        this.https = https;
        this.http = http;
        this.noProxy = noProxy;
    }

    /**
     * @throws IllegalArgumentException when a proxy variable is not a URL such as {@code http://proxy:3128}
     */
    static Proxies of(Map<String, String> env) {
        URI all = proxy(env, "all_proxy");
        URI https = proxy(env, "https_proxy");
        URI http = proxy(env, "http_proxy");
        String none = variable(env, "no_proxy");
        return new Proxies(https != null ? https : all, http != null ? http : all, none == null ? List.of()
                : Arrays.stream(none.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                        .map(s -> s.toLowerCase(Locale.ROOT)).toList());
    }

    @Override
    public List<Proxy> select(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        URI proxy = scheme.equals("https") ? https : scheme.equals("http") ? http : null;
        if (https == null && http == null) {
            ProxySelector jvm = ProxySelector.getDefault();
            return jvm == null ? List.of(Proxy.NO_PROXY) : jvm.select(uri);
        }
        if (proxy == null || bypassed(uri.getHost())) {
            return List.of(Proxy.NO_PROXY);
        }
        int port = proxy.getPort() > 0 ? proxy.getPort() : "https".equalsIgnoreCase(proxy.getScheme()) ? 443 : 80;
        return List.of(new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved(proxy.getHost(), port)));
    }

    @Override
    public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
        // the fetch fails with the error; nothing to remember
    }

    private boolean bypassed(String host) {
        if (host == null) {
            return true;
        }
        String h = host.toLowerCase(Locale.ROOT).replaceAll("^\\[|]$", "");
        return noProxy.stream().anyMatch(entry -> {
            String e = entry.replaceFirst(":\\d+$", "");
            if (e.equals("*")) {
                return true;
            }
            String domain = e.startsWith(".") ? e.substring(1) : e.startsWith("*.") ? e.substring(2) : e;
            return h.equals(domain) || h.endsWith("." + domain);
        });
    }

    private static URI proxy(Map<String, String> env, String name) {
        String value = variable(env, name);
        if (value == null) {
            return null;
        }
        URI uri = URI.create(value.contains("://") ? value : "http://" + value);
        if (uri.getHost() == null) {
            throw new IllegalArgumentException(name + " must be a proxy URL such as http://proxy.example.com:3128, got "
                    + GitUrls.mask(value));
        }
        return uri;
    }

    private static String variable(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            value = env.get(name.toUpperCase(Locale.ROOT));
        }
        return value == null || value.isBlank() ? null : value.strip();
    }
}
