package io.certwright.inventory.alert;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/// A [DeliveryLog] in memory that keeps the latest records up to a capacity.
public final class InMemoryDeliveryLog implements DeliveryLog {

    private final int capacity;
    private final ArrayDeque<DeliveryRecord> records = new ArrayDeque<>();

    /// A log keeping at most `capacity` records.
    public InMemoryDeliveryLog(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
    }

    @Override
    public synchronized void append(DeliveryRecord record) {
        if (records.size() == capacity) {
            records.removeFirst();
        }
        records.addLast(record);
    }

    @Override
    public synchronized List<DeliveryRecord> recent(int limit) {
        List<DeliveryRecord> out = new ArrayList<>();
        Iterator<DeliveryRecord> it = records.descendingIterator();
        while (it.hasNext() && out.size() < limit) {
            out.add(it.next());
        }
        return out;
    }
}
