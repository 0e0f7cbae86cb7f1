package io.servesim.workloads.profile;

import io.servesim.core.workload.ProfileInfo;
import io.servesim.core.workload.RequestSpec;
import io.servesim.workloads.arrival.ArrivalProcess;
import io.servesim.workloads.arrival.ArrivalSpec;
import io.servesim.workloads.dist.FixedLength;
import io.servesim.workloads.dist.LengthDistribution;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A profile drawn from distributions: sessions start from an arrival pattern at rate
 * requestRate / mean turns, so that requests (all turns) arrive at requestRate in the long run. A
 * single-turn profile is the special case of sessions of exactly one turn (session id −1).
 *
 * <p>With a {@link SharedPrefixSpec} each session belongs to a user drawn uniformly from the profile's users; its
 * prompt starts with the user's system prompt (the request's shared prefix, {@code prefixId} = the system prompt's
 * index), and a later turn's prompt holds the system prompt, the earlier turns and answers and the new question.
 *
 * <p>Random streams: the profile's split is split once more, in this order, into arrivals, prompts,
 * outputs and turns (turn counts and think times), and users (only with a shared prefix), so each kind of draw has
 * its own stream.
 */
public final class SyntheticProfile implements ClientProfile {
    private final ProfileInfo info;
    private final double requestRatePerSecond;
    private final ArrivalSpec.Pattern arrival;
    private final LengthDistribution prompt;
    private final LengthDistribution output;
    private final LengthDistribution turns;
    private final double thinkTimeSeconds;
    private final long maxContextTokens;
    private final boolean multiTurn;
    private final int systemPromptTokens;
    private final int usersPerPrompt;
    private final int users;

    public SyntheticProfile(ProfileSpec spec, ArrivalSpec.Pattern arrival, double requestRatePerSecond) {
        this.info = new ProfileInfo(spec.name(), spec.sla().toSla());
        this.requestRatePerSecond = requestRatePerSecond;
        this.arrival = arrival;
        this.prompt = spec.prompt().create();
        this.output = spec.output().create();
        SessionSpec session = spec.session();
        this.multiTurn = session != null;
        this.turns = multiTurn ? session.turns().create() : new FixedLength(1);
        this.thinkTimeSeconds = multiTurn ? session.thinkTimeSeconds() : 0.0;
        this.maxContextTokens = multiTurn && session.maxContextTokens() != null
                ? session.maxContextTokens() : Integer.MAX_VALUE;
        SharedPrefixSpec shared = spec.sharedPrefix();
        this.systemPromptTokens = shared == null ? 0 : shared.systemPromptTokens();
        this.usersPerPrompt = shared == null ? 1 : shared.usersPerPrompt();
        this.users = shared == null ? 0 : shared.users();
    }

    @Override
    public ProfileInfo info() {
        return info;
    }

    @Override
    public double requestRatePerSecond() {
        return requestRatePerSecond;
    }

    @Override
    public LengthDistribution prompt() {
        return prompt;
    }

    @Override
    public LengthDistribution output() {
        return output;
    }

    @Override
    public boolean multiTurn() {
        return multiTurn;
    }

    @Override
    public boolean finite() {
        return false;
    }

    @Override
    public String sharedPrefix() {
        return users == 0 ? "" : (users / usersPerPrompt) + " system prompts of " + systemPromptTokens + " tokens, "
                + usersPerPrompt + " users each; analytic prompt = the question";
    }

    /** Sessions start at this rate: the request rate divided by the mean number of turns. */
    public double sessionRatePerSecond() {
        return requestRatePerSecond / turns.mean();
    }

    @Override
    public ProfileStream open(int profileIndex, SplittableRandom random) {
        ArrivalProcess sessions = arrival.open(sessionRatePerSecond(), random.split());
        return new Stream(profileIndex, sessions, random.split(), random.split(), random.split(),
                users > 0 ? random.split() : null);
    }

    /** Pending turns in a heap; slot {@link #NEW_SESSION} marks the next session start, others index session state. */
    private final class Stream implements ProfileStream {
        private static final int NEW_SESSION = -1;

        private final int profileIndex;
        private final ArrivalProcess sessions;
        private final SplittableRandom promptRandom;
        private final SplittableRandom outputRandom;
        private final SplittableRandom turnRandom;
        private final SplittableRandom userRandom;
        private final ArrivalQueue queue = new ArrivalQueue(16);
        private long order;
        private long[] sessionIds = new long[8];
        private int[] nextTurns = new int[8];
        private int[] turnCounts = new int[8];
        private long[] historyTokens = new long[8];
        private int[] systemPrompts = new int[8];
        private int[] freeSlots = new int[8];
        private int freeCount;
        private int slotCount;

        Stream(int profileIndex, ArrivalProcess sessions, SplittableRandom promptRandom,
               SplittableRandom outputRandom, SplittableRandom turnRandom, SplittableRandom userRandom) {
            this.profileIndex = profileIndex;
            this.sessions = sessions;
            this.promptRandom = promptRandom;
            this.outputRandom = outputRandom;
            this.turnRandom = turnRandom;
            this.userRandom = userRandom;
            scheduleNextSession();
        }

        private void scheduleNextSession() {
            double start = sessions.nextArrivalSeconds();
            if (start < Double.POSITIVE_INFINITY) {
                queue.push(start, order++, NEW_SESSION);
            }
        }

        @Override
        public double peekArrivalSeconds() {
            return queue.peekTime();
        }

        @Override
        public RequestSpec emit(long id) {
            double time = queue.peekTime();
            int slot = queue.pop();
            long sessionId;
            int turn;
            int turnCount;
            long history;
            int systemPrompt;
            if (slot == NEW_SESSION) {
                scheduleNextSession();
                sessionId = id;
                turn = 0;
                turnCount = turns.sample(turnRandom);
                systemPrompt = users > 0 ? userRandom.nextInt(users) / usersPerPrompt : -1;
                history = systemPromptTokens;
            } else {
                sessionId = sessionIds[slot];
                turn = nextTurns[slot];
                turnCount = turnCounts[slot];
                history = historyTokens[slot];
                systemPrompt = systemPrompts[slot];
            }
            int promptTokens = (int) Math.min(maxContextTokens, history + prompt.sample(promptRandom));
            int outputTokens = output.sample(outputRandom);
            if (turn + 1 < turnCount) {
                if (slot == NEW_SESSION) {
                    slot = allocateSlot();
                }
                sessionIds[slot] = sessionId;
                nextTurns[slot] = turn + 1;
                turnCounts[slot] = turnCount;
                historyTokens[slot] = (long) promptTokens + outputTokens;
                systemPrompts[slot] = systemPrompt;
                queue.push(time + thinkTimeSeconds * turnRandom.nextExponential(), order++, slot);
            } else if (slot != NEW_SESSION) {
                freeSlots[freeCount++] = slot;
            }
            return new RequestSpec(id, time, promptTokens, outputTokens, profileIndex,
                    multiTurn ? sessionId : -1, turn, systemPrompt,
                    systemPrompt < 0 ? 0 : Math.min(systemPromptTokens, promptTokens));
        }

        private int allocateSlot() {
            if (freeCount > 0) {
                return freeSlots[--freeCount];
            }
            if (slotCount == sessionIds.length) {
                int capacity = slotCount * 2;
                sessionIds = Arrays.copyOf(sessionIds, capacity);
                nextTurns = Arrays.copyOf(nextTurns, capacity);
                turnCounts = Arrays.copyOf(turnCounts, capacity);
                historyTokens = Arrays.copyOf(historyTokens, capacity);
                systemPrompts = Arrays.copyOf(systemPrompts, capacity);
                freeSlots = Arrays.copyOf(freeSlots, capacity);
            }
            return slotCount++;
        }
    }
}
