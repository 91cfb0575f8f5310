package dev.hone.notify;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Routes an event to every channel when its type is in {@code notify.on}; one failing channel never stops the
 * others, and each outcome is returned for the record.
 */
public final class Dispatcher {

    private final List<Notifier> channels;

    public Dispatcher(List<Notifier> channels) {
        this.channels = List.copyOf(channels);
    }

    public List<Delivery> dispatch(Event event, Set<String> on) {
        if (!on.contains(event.type())) {
            return List.of();
        }
        List<Delivery> deliveries = new ArrayList<>();
        for (Notifier channel : channels) {
            try {
                deliveries.add(new Delivery(event.type(), channel.channel(), "sent", channel.send(event)));
            } catch (RuntimeException e) {
                deliveries.add(new Delivery(event.type(), channel.channel(), "failed", String.valueOf(e.getMessage())));
            }
        }
        return deliveries;
    }
}
