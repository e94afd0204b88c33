using Qlib.Tracked.Entities;
using Qlib.Tracked.Validation;

namespace Qlib.Tracked.Tests;

public class MlflowValidationTests
{
    [Theory]
    [InlineData("loss")]
    [InlineData("train/loss")]
    [InlineData("score.with.dots")]
    [InlineData("a-b_c d:e")]
    [InlineData("größe")]
    [InlineData("日本語")]
    [InlineData("x²")]
    [InlineData("a/..b")]
    public void ValidateKey_AcceptsMlflowKeys(string key) => MlflowValidation.ValidateKey(key, "metric");

    [Theory]
    [InlineData("bad!name")]
    [InlineData("a\\b")]
    [InlineData("tab\tkey")]
    [InlineData("new\nline")]
    [InlineData("emoji🎉")]
    [InlineData("a*b")]
    public void ValidateKey_RejectsCharactersOutsideThePattern(string key)
    {
        var e = Assert.Throws<TrackingException>(() => MlflowValidation.ValidateKey(key, "metric"));
        Assert.Equal(ErrorCode.InvalidParameterValue, e.Code);
        Assert.Contains($"Invalid metric name: '{key}'", e.Message);
        Assert.Contains("Names may only contain alphanumerics", e.Message);
    }

    [Theory]
    [InlineData("", ".")]
    [InlineData("a//b", "a/b")]
    [InlineData("a/./b", "a/b")]
    [InlineData("a/", "a")]
    [InlineData("/a", "/a")]
    [InlineData("../x", "../x")]
    [InlineData("..", "..")]
    [InlineData("..a", "..a")]
    [InlineData(".", ".")]
    [InlineData("a/../b", "b")]
    [InlineData("a/.", "a")]
    public void ValidateKey_RejectsKeysThatAreNotTheirOwnNormalizedPath(string key, string resolvesTo)
    {
        var e = Assert.Throws<TrackingException>(() => MlflowValidation.ValidateKey(key, "param"));
        Assert.Equal(ErrorCode.InvalidParameterValue, e.Code);
        Assert.Contains($"This name would resolve to '{resolvesTo}'", e.Message);
    }

    [Fact]
    public void ValidateKey_RejectsNull() =>
        Assert.Equal("A key name must be provided.", Assert.Throws<TrackingException>(() => MlflowValidation.ValidateKey(null, "tag")).Message);

    [Fact]
    public void ValidateKey_LimitsLengthTo250CodePoints()
    {
        MlflowValidation.ValidateKey(new string('k', 250), "metric");
        var e = Assert.Throws<TrackingException>(() => MlflowValidation.ValidateKey(new string('k', 251), "metric"));
        Assert.Contains("exceeds the maximum length of 250", e.Message);
    }

    [Fact]
    public void ValidateParamValue_RaisesInsteadOfTruncatingPast6000()
    {
        MlflowValidation.ValidateParamValue("p", new string('v', 6000));
        MlflowValidation.ValidateParamValue("p", string.Concat(Enumerable.Repeat("🎉", 6000))); // 6000 code points, 12000 UTF-16 units
        var e = Assert.Throws<TrackingException>(() => MlflowValidation.ValidateParamValue("p", new string('v', 6001)));
        Assert.Contains("'Param value' exceeds the maximum length of 6000 characters", e.Message);
    }

    [Fact]
    public void ValidateTagValue_LimitsTo8000()
    {
        MlflowValidation.ValidateTagValue("t", new string('v', 8000));
        Assert.Throws<TrackingException>(() => MlflowValidation.ValidateTagValue("t", new string('v', 8001)));
    }

    [Fact]
    public void ValidateExperimentTag_LimitsKeyTo250AndValueTo5000()
    {
        MlflowValidation.ValidateExperimentTag("k", new string('v', 5000));
        Assert.Throws<TrackingException>(() => MlflowValidation.ValidateExperimentTag("k", new string('v', 5001)));
        Assert.Throws<TrackingException>(() => MlflowValidation.ValidateExperimentTag(new string('k', 251), "v"));
    }

    [Fact]
    public void ValidateExperimentName_RequiresNonEmptyUpTo500()
    {
        MlflowValidation.ValidateExperimentName(new string('n', 500));
        Assert.Throws<TrackingException>(() => MlflowValidation.ValidateExperimentName(""));
        Assert.Throws<TrackingException>(() => MlflowValidation.ValidateExperimentName(null));
        Assert.Throws<TrackingException>(() => MlflowValidation.ValidateExperimentName(new string('n', 501)));
    }

    [Fact]
    public void ValidateMetric_RejectsNegativeTimestampButAcceptsAnyStepAndNonFiniteValues()
    {
        MlflowValidation.ValidateMetric(new Metric("m", double.NaN, 0, -5));
        MlflowValidation.ValidateMetric(new Metric("m", double.NegativeInfinity, 1, long.MaxValue));
        var e = Assert.Throws<TrackingException>(() => MlflowValidation.ValidateMetric(new Metric("m", 1, -1, 0)));
        Assert.Contains("Timestamp must be a nonnegative long", e.Message);
    }

    [Theory]
    [InlineData(1001, 0, 0, "at most 1000 metrics")]
    [InlineData(0, 101, 0, "at most 100 params")]
    [InlineData(0, 0, 101, "at most 100 tags")]
    [InlineData(1000, 1, 0, "1000 metrics, params, and tags in total")]
    public void ValidateBatchLimits_EnforcesMlflowLimits(int metrics, int parameters, int tags, string message) =>
        Assert.Contains(message, Assert.Throws<TrackingException>(() => MlflowValidation.ValidateBatchLimits(metrics, parameters, tags)).Message);

    [Fact]
    public void ValidateBatchLimits_AcceptsTheMaximums() => MlflowValidation.ValidateBatchLimits(900, 50, 50);

    [Fact]
    public void ValidateParamKeysUnique_RejectsDuplicateKeysInOneBatch() =>
        Assert.Contains("Duplicate parameter keys", Assert.Throws<TrackingException>(() =>
            MlflowValidation.ValidateParamKeysUnique([new Param("a", "1"), new Param("b", "2"), new Param("a", "1")])).Message);

    [Theory]
    [InlineData("0123abcd", true)]
    [InlineData("ecb982f911e548b49c5748830038873b", true)]
    [InlineData("a_b-c", true)]
    [InlineData("_abc", false)]
    [InlineData("-abc", false)]
    [InlineData("", false)]
    [InlineData("../etc", false)]
    [InlineData("a/b", false)]
    [InlineData("a.b", false)]
    public void ValidateRunId_FollowsTheIdPattern(string id, bool ok)
    {
        if (ok) MlflowValidation.ValidateRunId(id);
        else Assert.Throws<TrackingException>(() => MlflowValidation.ValidateRunId(id));
    }

    [Fact]
    public void ValidateRunIdAndExperimentId_LimitLengths()
    {
        MlflowValidation.ValidateRunId(new string('a', 256));
        Assert.Throws<TrackingException>(() => MlflowValidation.ValidateRunId(new string('a', 257)));
        MlflowValidation.ValidateExperimentId(new string('1', 64));
        Assert.Throws<TrackingException>(() => MlflowValidation.ValidateExperimentId(new string('1', 65)));
        Assert.Throws<TrackingException>(() => MlflowValidation.ValidateExperimentId(".trash"));
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(50000, true)]
    [InlineData(50001, false)]
    public void ValidateMaxResults_Allows1To50000(int value, bool ok)
    {
        if (ok) MlflowValidation.ValidateMaxResults(value);
        else Assert.Throws<TrackingException>(() => MlflowValidation.ValidateMaxResults(value));
    }

    [Fact]
    public void ValidatedKeyCache_StillRejectsBadKeysAndRemembersGoodOnes()
    {
        var cache = new ValidatedKeyCache();
        cache.ValidateMetricKey("loss");
        cache.ValidateMetricKey("loss");
        Assert.Throws<TrackingException>(() => cache.ValidateMetricKey("../escape"));
        Assert.Throws<TrackingException>(() => cache.ValidateMetricKey("../escape"));
    }
}
