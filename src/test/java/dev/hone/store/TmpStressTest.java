package dev.hone.store;

import static dev.hone.store.StoreTest.T0;
import static dev.hone.store.StoreTest.newRun;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.io.TempDir;

class TmpStressTest {
    @TempDir
    Path dir;

    @RepeatedTest(40)
    void open3() throws Exception {
        Path file = dir.resolve("x/hone.db");
        ExecutorService pool = Executors.newFixedThreadPool(3);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Store>> fs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            fs.add(pool.submit(() -> { go.await(); return Stores.open(file.toString()); }));
        }
        go.countDown();
        List<Store> stores = new ArrayList<>();
        try {
            for (Future<Store> f : fs) stores.add(f.get());
            for (Store s : stores) s.createRun(newRun("d", T0));
        } finally {
            stores.forEach(Store::close);
            pool.shutdown();
        }
    }
}
