package io.servesim.core.catalog;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The names of a list that look like a mistyped one, for "did you mean" messages. Two names are compared after
 * lower-casing and dropping everything but letters and digits ({@code llama3-8b} and {@code Llama-3-8B} are the
 * same). When some candidates are the same in this sense, they alone are suggested; otherwise a candidate is near
 * when one name contains the other (at least three characters), or when its edit distance is at most a fifth of
 * the typed name's length (at least 1). Containing names come first, then the closest.
 */
public final class SimilarNames {
    /** The most names a suggestion lists. */
    public static final int MAX_SUGGESTIONS = 5;

    private SimilarNames() {
    }

    /** The candidates near {@code typed}, best first (ties in the candidates' order), at most {@link #MAX_SUGGESTIONS}. */
    public static List<String> near(String typed, Collection<String> candidates) {
        String query = normalize(typed);
        int maxDistance = Math.max(1, query.length() / 5);
        record Scored(String name, boolean contains, int distance, int order) {
        }
        List<Scored> near = new ArrayList<>();
        List<String> same = new ArrayList<>();
        int order = 0;
        for (String candidate : candidates) {
            String name = normalize(candidate);
            if (name.equals(query)) {
                same.add(candidate);
            }
            int distance = editDistance(query, name);
            boolean contains = Math.min(query.length(), name.length()) >= 3 && (name.contains(query) || query.contains(name));
            if (contains || distance <= maxDistance) {
                near.add(new Scored(candidate, contains, distance, order));
            }
            order++;
        }
        if (!same.isEmpty()) {
            return same.stream().limit(MAX_SUGGESTIONS).toList();
        }
        near.sort(Comparator.comparing((Scored s) -> !s.contains()).thenComparingInt(Scored::distance)
                .thenComparingInt(Scored::order));
        return near.stream().limit(MAX_SUGGESTIONS).map(Scored::name).toList();
    }

    /** "did you mean A, B or C? " for the near names, or "" when there are none. */
    public static String didYouMean(String typed, Collection<String> candidates) {
        List<String> near = near(typed, candidates);
        if (near.isEmpty()) {
            return "";
        }
        String last = near.get(near.size() - 1);
        String rest = String.join(", ", near.subList(0, near.size() - 1));
        return "did you mean " + (rest.isEmpty() ? last : rest + " or " + last) + "? ";
    }

    static String normalize(String name) {
        StringBuilder sb = new StringBuilder(name.length());
        for (char c : name.toLowerCase(Locale.ROOT).toCharArray()) {
            if (Character.isLetterOrDigit(c)) {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** Levenshtein distance: insertions, deletions and substitutions, each costing 1. */
    static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
