"""Reader-study statistics: pure numpy/scipy, testable without Django."""
