using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http;
using Qlib.Tracked.Stores;
using Qlib.Tracked.Stores.Rest;

namespace Qlib.Tracked.Tests.Stores.Rest;

/// <summary>
/// HTTPS against a real local listener with a self-signed certificate made here: refused by default, trusted through
/// MLFLOW_TRACKING_SERVER_CERT_PATH's CA file, accepted blindly with MLFLOW_TRACKING_INSECURE_TLS.
/// </summary>
public sealed class RestTlsTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly X509Certificate2 _certificate = SelfSigned("qtrack-test-server");
    private readonly LocalHttpServer _server;

    public RestTlsTests()
    {
        _server = LocalHttpServer.Start(async context =>
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"experiment": {"experiment_id": "0", "name": "Default", "artifact_location": "mlflow-artifacts:/0", "lifecycle_stage": "active"}}""");
        }, certificate: _certificate);
    }

    public void Dispose()
    {
        _server.Dispose();
        _certificate.Dispose();
        _temp.Dispose();
    }

    private string Pem(X509Certificate2 certificate, string name)
    {
        var path = _temp.Combine(name);
        File.WriteAllText(path, certificate.ExportCertificatePem());
        return path;
    }

    private ErrorCode? Outcome(RestClientSettings settings)
    {
        using var store = new RestStore(_server.BaseUri, new TrackingStoreOptions { Http = settings with { MaxRetries = 0 } });
        try
        {
            Assert.Equal("Default", store.GetExperimentByName("Default")!.Name);
            return null;
        }
        catch (TrackingException e)
        {
            Assert.Contains(RestClientSettings.ServerCertPathVariable, e.Message);
            Assert.Contains(_server.BaseUri, e.Message);
            return e.Code;
        }
    }

    [Fact]
    public void ASelfSignedServer_IsRefusedByDefault_NamingTheSettingsThatFixIt()
    {
        Assert.Equal(ErrorCode.InternalError, Outcome(new RestClientSettings()));
    }

    [Fact]
    public void TheServersCaFile_MakesItTrusted()
    {
        Assert.Null(Outcome(new RestClientSettings { ServerCertPath = Pem(_certificate, "ca.pem") }));
    }

    [Fact]
    public void AnotherCaFile_DoesNot()
    {
        using var other = SelfSigned("someone-else");
        Assert.Equal(ErrorCode.InternalError, Outcome(new RestClientSettings { ServerCertPath = Pem(other, "other.pem") }));
    }

    [Fact]
    public void InsecureTls_AcceptsAnyCertificate()
    {
        Assert.Null(Outcome(new RestClientSettings { InsecureTls = true }));
    }

    [Fact]
    public void AMissingCaFile_IsRefusedWhenTheStoreOpens()
    {
        var missing = _temp.Combine("nope.pem");
        var e = Assert.Throws<TrackingException>(() => new RestStore(_server.BaseUri, new TrackingStoreOptions { Http = new RestClientSettings { ServerCertPath = missing } }));
        Assert.Equal(ErrorCode.InvalidParameterValue, e.Code);
        Assert.Contains($"{RestClientSettings.ServerCertPathVariable} names '{missing}'", e.Message);
    }

    /// <summary>A server certificate for 127.0.0.1 and localhost, its own CA (with its private key, loadable by Kestrel).</summary>
    private static X509Certificate2 SelfSigned(string name)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.KeyCertSign, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
    }
}
