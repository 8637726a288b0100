package dev.ghost.health.probe;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the few series the aggregator needs out of a Prometheus text exposition (format 0.0.4),
 * in one pass, without building the whole model. Hand-written because no maintained Java library
 * parses the text format (the Prometheus Java client only writes it), and because a general
 * parser would allocate every label of thousands of histogram lines that are then thrown away:
 * this pass looks at a line's name first and parses labels only for the series it keeps.
 */
public final class PrometheusText {

    private static final String HTTP = "http_server_requests_seconds";

    private PrometheusText() {
    }

    public static MetricsSnapshot parse(String text, long takenAtMillis) {
        Acc acc = new Acc();
        int length = text.length();
        int start = 0;
        while (start < length) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                end = length;
            }
            if (end > start && text.charAt(start) != '#') {
                line(text, start, end, acc);
            }
            start = end + 1;
        }
        return new MetricsSnapshot(takenAtMillis, acc.processCpu, acc.systemCpu, acc.heapUsed, acc.heapMax,
                acc.diskFree, acc.diskTotal, acc.uptime, acc.httpRequests, acc.httpErrors,
                acc.buckets, acc.ghost.isEmpty() ? Map.of() : acc.ghost);
    }

    private static void line(String text, int start, int end, Acc acc) {
        int nameEnd = start;
        while (nameEnd < end && text.charAt(nameEnd) != '{' && text.charAt(nameEnd) != ' ') {
            nameEnd++;
        }
        String name = text.substring(start, nameEnd);
        int labelsEnd = nameEnd;
        if (nameEnd < end && text.charAt(nameEnd) == '{') {
            labelsEnd = closingBrace(text, nameEnd, end);
            if (labelsEnd < 0) {
                return;
            }
            labelsEnd++;
        }
        switch (name) {
            case "process_cpu_usage" -> acc.processCpu = value(text, labelsEnd, end);
            case "system_cpu_usage" -> acc.systemCpu = value(text, labelsEnd, end);
            case "process_uptime_seconds" -> acc.uptime = value(text, labelsEnd, end);
            case "disk_free_bytes" -> acc.diskFree = sum(acc.diskFree, value(text, labelsEnd, end));
            case "disk_total_bytes" -> acc.diskTotal = sum(acc.diskTotal, value(text, labelsEnd, end));
            case "jvm_memory_used_bytes", "jvm_memory_max_bytes" -> heap(name, text, nameEnd, labelsEnd, end, acc);
            case HTTP + "_count" -> httpCount(text, nameEnd, labelsEnd, end, acc);
            case HTTP + "_bucket" -> httpBucket(text, nameEnd, labelsEnd, end, acc);
            default -> {
                if (name.startsWith("ghost_") && !name.endsWith("_bucket")) {
                    Double value = value(text, labelsEnd, end);
                    if (value != null) {
                        acc.ghost.merge(name, value, Double::sum);
                    }
                }
            }
        }
    }

    private static void heap(String name, String text, int labelsStart, int labelsEnd, int end, Acc acc) {
        if (!"heap".equals(label(text, labelsStart, labelsEnd, "area"))) {
            return;
        }
        Double value = value(text, labelsEnd, end);
        if (value == null || value < 0) {
            return; // a pool without a limit reports -1
        }
        if (name.equals("jvm_memory_used_bytes")) {
            acc.heapUsed = sum(acc.heapUsed, value);
        } else {
            acc.heapMax = sum(acc.heapMax, value);
        }
    }

    private static void httpCount(String text, int labelsStart, int labelsEnd, int end, Acc acc) {
        if (actuator(text, labelsStart, labelsEnd)) {
            // The instance does count requests; it just served none but ours: a rate of 0, not "unknown".
            acc.httpRequests = sum(acc.httpRequests, 0.0);
            acc.httpErrors = sum(acc.httpErrors, 0.0);
            return;
        }
        Double value = value(text, labelsEnd, end);
        if (value == null) {
            return;
        }
        acc.httpRequests = sum(acc.httpRequests, value);
        String status = label(text, labelsStart, labelsEnd, "status");
        acc.httpErrors = sum(acc.httpErrors, status != null && status.startsWith("5") ? value : 0.0);
    }

    private static void httpBucket(String text, int labelsStart, int labelsEnd, int end, Acc acc) {
        if (actuator(text, labelsStart, labelsEnd)) {
            return;
        }
        String le = label(text, labelsStart, labelsEnd, "le");
        Double value = value(text, labelsEnd, end);
        if (le == null || value == null) {
            return;
        }
        double bound = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
        acc.buckets.merge(bound, value, Double::sum);
    }

    /** Our own polls hit /actuator/**; counting them would show traffic on an idle service. */
    private static boolean actuator(String text, int labelsStart, int labelsEnd) {
        String uri = label(text, labelsStart, labelsEnd, "uri");
        return uri != null && uri.startsWith("/actuator");
    }

    private static int closingBrace(String text, int from, int end) {
        boolean quoted = false;
        for (int i = from + 1; i < end; i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == '}') {
                return i;
            }
        }
        return -1;
    }

    /** The value of one label between the braces, or null. Label values GHOST reads never contain escapes. */
    static String label(String text, int labelsStart, int labelsEnd, String label) {
        if (labelsStart >= labelsEnd) {
            return null;
        }
        String key = label + "=\"";
        int at = labelsStart;
        while (true) {
            at = text.indexOf(key, at);
            if (at < 0 || at >= labelsEnd) {
                return null;
            }
            char before = text.charAt(at - 1);
            if (before == '{' || before == ',') {
                int valueStart = at + key.length();
                int valueEnd = text.indexOf('"', valueStart);
                return valueEnd < 0 || valueEnd > labelsEnd ? null : text.substring(valueStart, valueEnd);
            }
            at += key.length();
        }
    }

    private static Double value(String text, int from, int end) {
        int start = from;
        while (start < end && text.charAt(start) == ' ') {
            start++;
        }
        int stop = start;
        while (stop < end && text.charAt(stop) != ' ' && text.charAt(stop) != '\r') {
            stop++;
        }
        if (stop == start) {
            return null;
        }
        String token = text.substring(start, stop);
        try {
            double value = switch (token) {
                case "+Inf" -> Double.POSITIVE_INFINITY;
                case "-Inf" -> Double.NEGATIVE_INFINITY;
                default -> Double.parseDouble(token);
            };
            return Double.isNaN(value) ? null : value;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Double sum(Double total, Double value) {
        if (value == null) {
            return total;
        }
        return total == null ? value : total + value;
    }

    private static final class Acc {
        Double processCpu;
        Double systemCpu;
        Double heapUsed;
        Double heapMax;
        Double diskFree;
        Double diskTotal;
        Double uptime;
        Double httpRequests;
        Double httpErrors;
        final TreeMap<Double, Double> buckets = new TreeMap<>();
        final Map<String, Double> ghost = new HashMap<>();
    }
}
