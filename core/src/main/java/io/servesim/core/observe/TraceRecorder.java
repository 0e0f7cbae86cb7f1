package io.servesim.core.observe;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.servesim.core.engine.EngineObserver;
import io.servesim.core.engine.IterationsInFlight;
import io.servesim.core.engine.Replica;
import io.servesim.core.engine.RequestTable;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;

/**
 * Records the iterations that start inside a window [start, end) of simulated time, for a Chrome / Perfetto trace
 * (JSON trace-event format, {@link #write}). A fast-forwarded run is expanded into its iterations only where it
 * overlaps the window: the first iteration at or after the window's start is found by binary search on the closed
 * form, and each iteration's boundaries are T0 + S(k), exactly those a stepped run visits — so stepped and
 * fast-forwarded runs give the same trace, byte for byte, and a run outside the window costs O(1).
 */
public final class TraceRecorder implements EngineObserver {
    private static final double MICROS = 1e6;

    private final double windowStart;
    private final double windowEnd;
    private int size;
    private int[] engine = new int[256];
    private double[] start = new double[256];
    private double[] end = new double[256];
    private long[] prefillTokens = new long[256];
    private int[] decodeTokens = new int[256];
    private int[] batch = new int[256];
    private int[] kvBlocks = new int[256];
    private int[] replicaOf = new int[0];
    private int[] virtualEngineOf = new int[0];
    private int replicas;
    private double runEnd;

    /** Records iterations starting in [{@code windowStart}, {@code windowEnd}) seconds. */
    public TraceRecorder(double windowStart, double windowEnd) {
        if (!(windowStart >= 0) || !(windowEnd > windowStart)) {
            throw new IllegalArgumentException("trace window must be START:END with 0 <= START < END, got "
                    + windowStart + ":" + windowEnd);
        }
        this.windowStart = windowStart;
        this.windowEnd = windowEnd;
    }

    /** Iterations recorded so far. */
    public int iterations() {
        return size;
    }

    @Override
    public void beforeEvent(Replica replica, double t) {
    }

    @Override
    public void onIterationsEnd(Replica replica, IterationsInFlight span) {
        if (span.endSeconds() <= windowStart || span.startSeconds() >= windowEnd) {
            return;
        }
        // a span of several iterations is a run of decode iterations: every iteration has the same batch
        int n = span.iterations();
        int first = span.firstIterationStartingAtOrAfter(windowStart);
        double s = span.boundarySeconds(first);
        for (int i = first; i < n && s < windowEnd; i++) {
            double e = span.boundarySeconds(i + 1);
            add(replica.index(), s, e, span.prefillTokens(), span.decodeSequences(),
                    span.prefillSequences() + span.decodeSequences(), span.usedKvBlocksAfter(i + 1));
            s = e;
        }
    }

    private void add(int eng, double s, double e, long prefill, int decode, int batchSize, int kv) {
        if (size == engine.length) {
            int n = size * 2;
            engine = Arrays.copyOf(engine, n);
            start = Arrays.copyOf(start, n);
            end = Arrays.copyOf(end, n);
            prefillTokens = Arrays.copyOf(prefillTokens, n);
            decodeTokens = Arrays.copyOf(decodeTokens, n);
            batch = Arrays.copyOf(batch, n);
            kvBlocks = Arrays.copyOf(kvBlocks, n);
        }
        engine[size] = eng;
        start[size] = s;
        end[size] = e;
        prefillTokens[size] = prefill;
        decodeTokens[size] = decode;
        batch[size] = batchSize;
        kvBlocks[size] = kv;
        size++;
    }

    @Override
    public void onRunEnd(List<Replica> engines, double t) {
        runEnd = t;
        replicaOf = new int[engines.size()];
        virtualEngineOf = new int[engines.size()];
        for (Replica r : engines) {
            replicaOf[r.index()] = r.deploymentReplica();
            virtualEngineOf[r.index()] = r.virtualEngine();
            replicas = Math.max(replicas, r.deploymentReplica() + 1);
        }
    }

    /**
     * Writes the trace: a track (thread) per engine inside a process per replica, an "X" event per iteration with its
     * prefill and decode tokens, batch size and the KV blocks in use after it, and — in a "requests" process — each
     * request whose lifetime overlaps the window as nested async slices (request; queued, prefill, decode).
     * Iterations come engine by engine in time order, requests in arrival order.
     */
    public void write(OutputStream out, RequestTable requests) throws IOException {
        try (JsonGenerator json = new JsonFactory().createGenerator(out, JsonEncoding.UTF8)) {
            json.writeStartObject();
            json.writeStringField("displayTimeUnit", "ms");
            json.writeObjectFieldStart("otherData");
            json.writeNumberField("window_start_s", windowStart);
            json.writeNumberField("window_end_s", windowEnd);
            json.writeEndObject();
            json.writeArrayFieldStart("traceEvents");
            for (int p = 0; p < replicas; p++) {
                metadata(json, "process_name", p, 0, "replica " + p);
            }
            for (int e = 0; e < replicaOf.length; e++) {
                metadata(json, "thread_name", replicaOf[e], virtualEngineOf[e], "engine " + e);
            }
            metadata(json, "process_name", replicas, 0, "requests");
            for (int i : engineOrder()) {
                json.writeStartObject();
                json.writeStringField("name", prefillTokens[i] == 0 ? "decode" : decodeTokens[i] == 0 ? "prefill" : "mixed");
                json.writeStringField("cat", "iteration");
                json.writeStringField("ph", "X");
                json.writeNumberField("ts", start[i] * MICROS);
                json.writeNumberField("dur", (end[i] - start[i]) * MICROS);
                json.writeNumberField("pid", replicaOf[engine[i]]);
                json.writeNumberField("tid", virtualEngineOf[engine[i]]);
                json.writeObjectFieldStart("args");
                json.writeNumberField("prefill_tokens", prefillTokens[i]);
                json.writeNumberField("decode_tokens", decodeTokens[i]);
                json.writeNumberField("batch_size", batch[i]);
                json.writeNumberField("kv_blocks_used", kvBlocks[i]);
                json.writeEndObject();
                json.writeEndObject();
            }
            for (int r = 0; r < requests.size(); r++) {
                request(json, requests, r);
            }
            json.writeEndArray();
            json.writeEndObject();
        }
    }

    /** Indices of the recorded iterations grouped by engine, each engine's in the order they were recorded (time). */
    private int[] engineOrder() {
        int[] counts = new int[replicaOf.length + 1];
        for (int i = 0; i < size; i++) {
            counts[engine[i] + 1]++;
        }
        for (int e = 0; e < replicaOf.length; e++) {
            counts[e + 1] += counts[e];
        }
        int[] order = new int[size];
        for (int i = 0; i < size; i++) {
            order[counts[engine[i]]++] = i;
        }
        return order;
    }

    private void request(JsonGenerator json, RequestTable requests, int r) throws IOException {
        double arrival = requests.arrivalTime(r);
        double finish = Double.isNaN(requests.finishTime(r)) ? runEnd : requests.finishTime(r);
        if (arrival >= windowEnd || finish < windowStart) {
            return;
        }
        double scheduled = requests.firstScheduledTime(r);
        double firstToken = requests.firstTokenTime(r);
        asyncSlice(json, r, "request " + r, arrival, finish, requests);
        double queuedUntil = Double.isNaN(scheduled) ? finish : scheduled;
        asyncSlice(json, r, "queued", arrival, queuedUntil, null);
        if (!Double.isNaN(scheduled)) {
            double prefillUntil = Double.isNaN(firstToken) ? finish : firstToken;
            asyncSlice(json, r, "prefill", scheduled, prefillUntil, null);
            if (!Double.isNaN(firstToken)) {
                asyncSlice(json, r, "decode", firstToken, finish, null);
            }
        }
    }

    private void asyncSlice(JsonGenerator json, int id, String name, double from, double to, RequestTable args)
            throws IOException {
        asyncEvent(json, id, name, "b", from, args, id);
        asyncEvent(json, id, name, "e", to, null, id);
    }

    private void asyncEvent(JsonGenerator json, int id, String name, String phase, double t, RequestTable args, int r)
            throws IOException {
        json.writeStartObject();
        json.writeStringField("name", name);
        json.writeStringField("cat", "request");
        json.writeStringField("ph", phase);
        json.writeNumberField("ts", t * MICROS);
        json.writeNumberField("pid", replicas);
        json.writeNumberField("tid", 0);
        json.writeNumberField("id", id);
        if (args != null) {
            json.writeObjectFieldStart("args");
            json.writeNumberField("prompt_tokens", args.promptTokens(r));
            json.writeNumberField("output_tokens", args.outputTokens(r));
            json.writeNumberField("replica", args.replica(r));
            json.writeStringField("outcome", args.outcome(r).name());
            json.writeEndObject();
        }
        json.writeEndObject();
    }

    private static void metadata(JsonGenerator json, String kind, int pid, int tid, String name) throws IOException {
        json.writeStartObject();
        json.writeStringField("name", kind);
        json.writeStringField("ph", "M");
        json.writeNumberField("pid", pid);
        json.writeNumberField("tid", tid);
        json.writeObjectFieldStart("args");
        json.writeStringField("name", name);
        json.writeEndObject();
        json.writeEndObject();
    }
}
