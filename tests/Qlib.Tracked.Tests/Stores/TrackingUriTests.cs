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
        var ex = Assert.Throws<TrackingException>(() => TrackingStoreRegistry.Open("databricks://profile"));
        Assert.Equal(ErrorCode.NotImplemented, ex.Code);
        Assert.Contains("'databricks'", ex.Message);
        Assert.Contains("not supported", ex.Message);
    }

    [Fact]
    public void ToLocalPath_RemoteHost_IsRefused()
    {
        var ex = Assert.Throws<TrackingException>(() => TrackingUri.ToLocalPath("file://otherhost/share/mlruns"));
        Assert.Contains("otherhost", ex.Message);
    }
}

/// <summary>Opening a store from a URI that names no usable folder is a typed error naming the URI and the rule.</summary>
public sealed class TrackingStoreRegistryOpenTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("file:", "names no path")]
    [InlineData("file://", "names no path")]
    [InlineData("file://localhost", "names no path")]
    [InlineData("   ", "empty")]
    [InlineData("file:/tmp/a%00b", "NUL")]
    [InlineData("file://elsewhere/mlruns", "remote host")]
    [InlineData("s3://bucket/mlruns", "'s3'")]
    public void AnUnusableUri_IsATypedError(string uri, string rule)
    {
        var error = Assert.Throws<TrackingException>(() => TrackingStoreRegistry.Open(uri));
        Assert.Contains(rule, error.Message);
    }

    [Fact]
    public void APathThatIsAFile_OrBelowOne_IsATypedErrorNamingTheFile()
    {
        var file = _dir.Combine("mlruns.txt");
        File.WriteAllText(file, "not a store");

        var atFile = Assert.Throws<TrackingException>(() => TrackingStoreRegistry.Open(file));
        var belowFile = Assert.Throws<TrackingException>(() => TrackingStoreRegistry.Open("file:" + Path.Combine(file, "sub", "mlruns")));

        Assert.Equal(ErrorCode.InvalidParameterValue, atFile.Code);
        Assert.Contains($"'{file}': it is a file", atFile.Message);
        Assert.Contains($"'{file}' is a file", belowFile.Message);
        Assert.Equal("not a store", File.ReadAllText(file));
    }
}
