namespace Qlib.Tracked.Tests.Stores.Contract;

/// <summary>Where PostgreSQL is missing, its tests skip saying why — except under CI, where that is a failure.</summary>
public sealed class PostgresClusterTests
{
    [Fact]
    public void WithoutBinaries_TheClusterIsUnavailableWithAReason()
    {
        using var cluster = new PostgresCluster("/nonexistent/postgresql", ci: false);
        Assert.Contains("no PostgreSQL server binaries", cluster.Unavailable);
        Assert.Contains("/nonexistent/postgresql", cluster.Unavailable);
    }

    [Fact]
    public void WithoutBinaries_UnderCi_StartingTheClusterFails()
    {
        var e = Assert.Throws<InvalidOperationException>(() => new PostgresCluster("/nonexistent/postgresql", ci: true));
        Assert.Contains("CI=true", e.Message);
    }
}
