package dev.hone.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * At most {@code max} of a stream of points, evenly spaced by arrival, the latest always among them. The points at
 * arrivals 0, s, 2s, … are kept; when they fill the room, every other one goes and s doubles. Memory stays within
 * {@code max} points however long the stream (a trial printing a million {@code epoch=} lines keeps 10,000).
 */
final class EvenSample {

    private final int max;
    /** The points at arrivals 0, stride, 2·stride, …; fewer than {@code max}, so the latest fits beside them. */
    private final List<MetricPoint> kept = new ArrayList<>();
    private long stride = 1;
    private long arrivals;
    private MetricPoint latest;

    EvenSample(int max) {
        if (max < 2) {
            throw new IllegalArgumentException("at least 2 points must be kept (the first and the latest), got "
                    + max);
        }
        this.max = max;
    }

    void add(MetricPoint point) {
        if (arrivals % stride == 0) {
            kept.add(point);
            if (kept.size() >= max) {
                thin();
            }
        }
        arrivals++;
        latest = point;
    }

    /** The kept points in arrival order, the latest last. */
    List<MetricPoint> points() {
        if (latest == null) {
            return List.of();
        }
        List<MetricPoint> points = new ArrayList<>(kept.size() + 1);
        points.addAll(kept);
        if ((kept.size() - 1) * stride != arrivals - 1) {
            points.add(latest);
        }
        return List.copyOf(points);
    }

    /** Keeps arrivals 0, 2·stride, 4·stride, …: every other kept point. */
    private void thin() {
        int to = 0;
        for (int from = 0; from < kept.size(); from += 2) {
            kept.set(to++, kept.get(from));
        }
        kept.subList(to, kept.size()).clear();
        stride *= 2;
    }
}
