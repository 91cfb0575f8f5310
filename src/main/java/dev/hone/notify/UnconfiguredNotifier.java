package dev.hone.notify;

/** Stands for a channel hone.yaml names but the installation cannot serve: every delivery fails, saying why. */
final class UnconfiguredNotifier implements Notifier {

    private final String channel;
    private final String problem;

    UnconfiguredNotifier(String channel, String problem) {
        this.channel = channel;
        this.problem = problem;
    }

    @Override
    public String channel() {
        return channel;
    }

    @Override
    public String route() {
        return channel + ".unconfigured";
    }

    @Override
    public String send(Notice notice) {
        throw DeliveryException.permanent(problem, null);
    }
}
