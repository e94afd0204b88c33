using Qlib.Tracked.Stores;

namespace Qlib.Tracked.Tests;

public class TrackingUriTests
{
    [Theory]
    [InlineData("file:/tmp/x/mlruns", "/tmp/x/mlruns")]
    [InlineData("file:///tmp/x/mlruns", "/tmp/x/mlruns")]
    [InlineData("file://localhost/tmp/x/mlruns", "/tmp/x/mlruns")]
    [InlineData("/tmp/x/mlruns", "/tmp/x/mlruns")]
    [InlineData("file:///tmp/with%20space", "/tmp/with space")]
    public void ToLocalPath_AcceptsMlflowAndQlibSpellings(string uri, string expected) =>
        Assert.Equal(expected, TrackingUri.ToLocalPath(uri));

    [Fact]
    public void ToLocalPath_RelativePathResolvesAgainstCurrentDirectory() =>
        Assert.Equal(Path.Combine(Environment.CurrentDirectory, "mlruns"), TrackingUri.ToLocalPath("mlruns"));

    [Fact]
    public void FromLocalPath_WritesMlflowsTripleSlashForm() =>
        Assert.Equal("file:///tmp/a/mlruns", TrackingUri.FromLocalPath("/tmp/a/mlruns"));

    [Theory]
    [InlineData("http://localhost:5000", "http")]
    [InlineData("sqlite:///mlflow.db", "sqlite")]
    [InlineData("databricks", "file")]
    [InlineData("C:\\mlruns", "file")]
    public void GetScheme_SplitsSchemesFromPaths(string uri, string scheme) =>
        Assert.Equal(scheme, TrackingUri.GetScheme(uri));

    [Fact]
    public void Open_UnsupportedScheme_IsAClearNotImplementedError()
    {
        var ex = Assert.Throws<TrackingException>(() => TrackingStoreRegistry.Open("http://127.0.0.1:5000"));
        Assert.Equal(ErrorCode.NotImplemented, ex.Code);
        Assert.Contains("'http'", ex.Message);
        Assert.Contains("not supported", ex.Message);
    }

    [Fact]
    public void ToLocalPath_RemoteHost_IsRefused()
    {
        var ex = Assert.Throws<TrackingException>(() => TrackingUri.ToLocalPath("file://otherhost/share/mlruns"));
        Assert.Contains("otherhost", ex.Message);
    }
}
