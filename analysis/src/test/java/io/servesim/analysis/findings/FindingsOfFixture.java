package io.servesim.analysis.findings;

import io.servesim.analysis.ResultsCsvLoader;
import io.servesim.analysis.ResultsFixture;
import java.nio.file.Path;

/** Runs the loader and the calculator on a fixture written to a folder. */
final class FindingsOfFixture {

    private FindingsOfFixture() {
    }

    static Findings of(ResultsFixture fixture, Path dir, String fileName) {
        fixture.write(dir, fileName);
        return new FindingsCalculator().calculate(new ResultsCsvLoader().loadResults(dir));
    }

    static StepFindings onlyStep(ResultsFixture fixture, Path dir) {
        return of(fixture, dir, "study_results.csv").steps().get(0);
    }
}
