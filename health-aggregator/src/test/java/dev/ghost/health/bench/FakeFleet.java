package dev.ghost.health.bench;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.ghost.health.fake.FakeInstance;

/**
 * The benchmark's instances, in a process of their own so their CPU is not counted as the
 * aggregator's: N fake instances on N ports, each answering health and a real 44 KB Prometheus
 * scrape of a GHOST service, at once or after a given delay. Prints "PORTS p1,p2,..." then obeys "kill i" / "revive i" on stdin;
 * exits when stdin closes.
 */
public final class FakeFleet {

    private FakeFleet() {
    }

    public static void main(String[] args) throws Exception {
        int count = Integer.parseInt(args[0]);
        long delayMillis = args.length > 1 ? Long.parseLong(args[1]) : 0;
        String metrics;
        try (InputStream in = FakeFleet.class.getResourceAsStream("/prometheus/ghost-service.txt")) {
            metrics = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        ExecutorService threads = Executors.newFixedThreadPool(delayMillis > 0 ? 160 : 8);
        List<FakeInstance> fleet = new ArrayList<>();
        List<String> ports = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            FakeInstance fake = FakeInstance.start("bench", threads, metrics);
            fake.delay(delayMillis);
            fleet.add(fake);
            ports.add(String.valueOf(fake.port()));
        }
        System.out.println("PORTS " + String.join(",", ports));
        System.out.flush();
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = commands.readLine()) != null) {
            String[] command = line.trim().split(" ");
            FakeInstance target = fleet.get(Integer.parseInt(command[1]));
            if (command[0].equals("kill")) {
                target.kill();
            } else {
                target.revive();
            }
            System.out.println("OK");
            System.out.flush();
        }
        fleet.forEach(FakeInstance::close);
        threads.shutdownNow();
    }
}
