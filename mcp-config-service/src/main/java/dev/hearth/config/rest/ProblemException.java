package dev.hearth.config.rest;

/** Ends a request with a {@link Problem}; mapped by {@link ProblemMapper}. */
public class ProblemException extends RuntimeException {

    private final Problem problem;

    public ProblemException(Problem problem) {
        super(problem.detail(), null, false, false);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
