"""Statistics of the study (scipy.stats for the t and binomial distributions).

- mean_ci: mean and two-sided 95% confidence interval over seeds, t distribution with n - 1 degrees
  of freedom (None for fewer than 2 values).
- tost: two one-sided t-tests of equivalence of paired differences d (arm - baseline, in percentage
  points) within +-margin: H0a mean <= -margin, H0b mean >= +margin; p = the larger one-sided p;
  equivalent at level alpha when p < alpha (the same as the 1 - 2 alpha confidence interval lying
  inside (-margin, margin)).
- mcnemar: exact McNemar test of two classifiers on the same test images: b = images only the first
  gets right, c = only the second; two-sided exact binomial p of min(b, c) under Binomial(b + c, 1/2).
"""
import math

from scipy import stats as _stats


def mean_ci(values, level=0.95):
    """(mean, low, high); low and high are None when there are fewer than two values."""
    n = len(values)
    if n == 0:
        raise ValueError("mean_ci: no values")
    mean = math.fsum(values) / n
    if n < 2:
        return mean, None, None
    sd = math.sqrt(math.fsum((v - mean) ** 2 for v in values) / (n - 1))
    half = float(_stats.t.ppf(0.5 + level / 2, n - 1)) * sd / math.sqrt(n)
    return mean, mean - half, mean + half


def tost(differences, margin, alpha=0.05):
    """Paired TOST: {"p", "p_lower", "p_upper", "equivalent", "ci90": (low, high)}; None for n < 2."""
    n = len(differences)
    if n < 2:
        return None
    mean = math.fsum(differences) / n
    sd = math.sqrt(math.fsum((d - mean) ** 2 for d in differences) / (n - 1))
    if sd == 0:
        inside = -margin < mean < margin
        return {"p": 0.0 if inside else 1.0, "p_lower": None, "p_upper": None, "equivalent": inside,
                "ci90": (mean, mean)}
    se = sd / math.sqrt(n)
    p_lower = float(_stats.t.sf((mean + margin) / se, n - 1))  # H0: mean <= -margin
    p_upper = float(_stats.t.cdf((mean - margin) / se, n - 1))  # H0: mean >= +margin
    half = float(_stats.t.ppf(1 - alpha, n - 1)) * se
    p = max(p_lower, p_upper)
    return {"p": p, "p_lower": p_lower, "p_upper": p_upper, "equivalent": p < alpha,
            "ci90": (mean - half, mean + half)}


def mcnemar(correct_a, correct_b):
    """{"b", "c", "p"} of the exact McNemar test (module docstring) on per-image correctness lists."""
    if len(correct_a) != len(correct_b):
        raise ValueError(f"mcnemar: {len(correct_a)} and {len(correct_b)} images; expected the same test images")
    b = sum(1 for x, y in zip(correct_a, correct_b) if x and not y)
    c = sum(1 for x, y in zip(correct_a, correct_b) if y and not x)
    p = 1.0 if b + c == 0 else float(_stats.binomtest(min(b, c), b + c, 0.5).pvalue)
    return {"b": b, "c": c, "p": p}
