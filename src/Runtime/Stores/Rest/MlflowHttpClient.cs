using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Qlib.Tracked.Stores.Rest.Protocol;

namespace Qlib.Tracked.Stores.Rest;

/// <summary>
/// One tracking server's HTTP connection pool (one <see cref="SocketsHttpHandler"/>, so connections are reused across
/// calls), with MLflow's authentication, TLS options and retries (<see cref="RestClientSettings"/>). Calls are
/// synchronous like the store interface. Error answers become <see cref="RestTrackingException"/>s.
/// Thread-safe: its state is read-only after construction and <see cref="HttpClient"/> serves concurrent requests.
/// </summary>
public sealed class MlflowHttpClient : IDisposable
{
    private static readonly HashSet<int> TransientStatuses = [408, 429, 500, 502, 503, 504];
    private static readonly HashSet<int> NothingDoneStatuses = [429, 503];
    private const int SnippetLength = 500;

    private readonly HttpClient _http;
    private readonly RestClientSettings _settings;

    /// <summary>An HTTP client for <paramref name="endpoint"/>'s MLflow REST API, with the auth, TLS, retry and timeout choices of <paramref name="settings"/>.</summary>
    public MlflowHttpClient(RestEndpoint endpoint, RestClientSettings settings)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(settings);
        Endpoint = endpoint;
        _settings = settings;
        var handler = new SocketsHttpHandler
        {
            // Recycled now and then so a server that moved behind a name is found again (DNS), while calls reuse connections.
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = settings.Timeout,
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
            // Redirects would carry the Authorization header to wherever a server points; MLflow's API never redirects.
            AllowAutoRedirect = false,
        };
        if (endpoint.BaseUri.Scheme == Uri.UriSchemeHttps) ConfigureTls(handler, settings);
        _http = new HttpClient(handler, disposeHandler: true) { Timeout = settings.Timeout };
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("qlib-tracked", "0.1"));
        var user = settings.Username ?? endpoint.UserName;
        var password = settings.Password ?? endpoint.Password;
        if (user is not null && password is not null)
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password)));
        else if (settings.Token is not null)
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", settings.Token);
    }

    /// <summary>The server this client talks to.</summary>
    public RestEndpoint Endpoint { get; }

    /// <summary>Raised before each retry with what failed and how long the client waits (no credentials in it).</summary>
    public event Action<string>? Retrying;

    /// <inheritdoc/>
    public void Dispose() => _http.Dispose();

    // ----- JSON calls -----

    /// <summary>GET <paramref name="route"/> with <paramref name="query"/> in the query string (as the Python client sends GET arguments).</summary>
    public TResponse Get<TResponse>(string route, IEnumerable<KeyValuePair<string, string>> query, JsonTypeInfo<TResponse> responseType)
    {
        var pathAndQuery = route + QueryString(query);
        using var response = Send(HttpMethod.Get, route, pathAndQuery, null, RetrySafety.Idempotent, HttpCompletionOption.ResponseContentRead);
        return ReadAnswer(response, "GET " + route, responseType);
    }

    /// <summary>POST <paramref name="body"/> as JSON.</summary>
    public TResponse Post<TRequest, TResponse>(string route, TRequest body, JsonTypeInfo<TRequest> requestType, JsonTypeInfo<TResponse> responseType,
        RetrySafety safety) =>
        PostJson(route, JsonSerializer.SerializeToUtf8Bytes(body, requestType), responseType, safety);

    /// <summary>POST an already serialized JSON body (the caller measured it).</summary>
    public TResponse PostJson<TResponse>(string route, byte[] json, JsonTypeInfo<TResponse> responseType, RetrySafety safety)
    {
        using var response = Send(HttpMethod.Post, route, route, () => JsonContent(json), safety, HttpCompletionOption.ResponseContentRead);
        return ReadAnswer(response, "POST " + route, responseType);
    }

    /// <summary>The query string of <paramref name="query"/> (each value escaped), with its leading '?' (empty for none).</summary>
    public static string QueryString(IEnumerable<KeyValuePair<string, string>> query)
    {
        var text = new StringBuilder();
        foreach (var (name, value) in query)
            text.Append(text.Length == 0 ? '?' : '&').Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
        return text.ToString();
    }

    // ----- raw calls (artifacts) -----

    /// <summary>
    /// Sends a request with retries and returns the answer whatever its status (the caller checks it, see
    /// <see cref="Fail"/>). <paramref name="content"/> is called once per attempt, so a file upload reopens its file.
    /// </summary>
    public HttpResponseMessage Send(HttpMethod method, string route, string pathAndQuery, Func<HttpContent>? content, RetrySafety safety,
        HttpCompletionOption completion)
    {
        var target = Endpoint.Resolve(pathAndQuery);
        var what = $"{method} {route}";
        for (var attempt = 0; ; attempt++)
        {
            HttpResponseMessage response;
            using var request = new HttpRequestMessage(method, target) { Content = content?.Invoke() };
            try
            {
                response = _http.Send(request, completion);
            }
            catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.SecureConnectionError)
            {
                throw new RestTrackingException(ErrorCode.InternalError,
                    $"The TLS handshake with MLflow tracking server {Endpoint.Display} failed ({what}): {Describe(e)}. Set " +
                    $"{RestClientSettings.ServerCertPathVariable} to the PEM file of the CA that signed its certificate, or " +
                    $"{RestClientSettings.InsecureTlsVariable}=true to skip verification.", what, null, null, e);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                // Connection refused / unknown host: the request never left, so even a create may go again.
                var nothingSent = e is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError };
                var why = e is TaskCanceledException ? $"no answer within {_settings.Timeout.TotalSeconds:0.###} s ({RestClientSettings.TimeoutVariable})" : Describe(e);
                if (attempt < _settings.MaxRetries && (nothingSent || safety != RetrySafety.NotIdempotent))
                {
                    Wait(attempt, null, what, why);
                    continue;
                }
                throw new RestTrackingException(ErrorCode.InternalError,
                    $"Could not reach MLflow tracking server {Endpoint.Display} ({what}) after {attempt + 1} attempt(s): {why}.",
                    what, null, null, e);
            }
            var status = (int)response.StatusCode;
            var retriable = safety switch
            {
                RetrySafety.Idempotent => TransientStatuses.Contains(status),
                RetrySafety.ArtifactDownload => TransientStatuses.Contains(status) && status != 500,
                _ => NothingDoneStatuses.Contains(status),
            };
            if (retriable && attempt < _settings.MaxRetries)
            {
                var retryAfter = response.Headers.RetryAfter?.Delta;
                response.Dispose();
                Wait(attempt, retryAfter, what, $"HTTP {status}");
                continue;
            }
            return response;
        }
    }

    /// <summary>The exception for a failed answer, with the server's error body when it sent MLflow's.</summary>
    public RestTrackingException Fail(HttpResponseMessage response, string what)
    {
        var raw = ReadSnippet(response);
        ErrorMessage? body = null;
        if (raw.Length > 0 && raw.TrimStart().StartsWith('{'))
        {
            try { body = JsonSerializer.Deserialize(raw, MlflowJsonContext.Default.ErrorMessage); }
            catch (JsonException) { }
        }
        return RestTrackingException.FromAnswer(Endpoint.Display, what, response.StatusCode, body, body?.Message is null ? Trim(raw) : "");
    }

    private TResponse ReadAnswer<TResponse>(HttpResponseMessage response, string what, JsonTypeInfo<TResponse> responseType)
    {
        if (!response.IsSuccessStatusCode) throw Fail(response, what);
        byte[] bytes;
        using (var stream = response.Content.ReadAsStream()) bytes = ReadAll(stream);
        if (bytes.Length == 0) bytes = "{}"u8.ToArray();
        try
        {
            return JsonSerializer.Deserialize(bytes, responseType)
                   ?? throw new JsonException("the body is JSON null");
        }
        catch (JsonException e)
        {
            throw new RestTrackingException(ErrorCode.InternalError,
                $"MLflow tracking server {Endpoint.Display} answered {what} with something that is not MLflow's JSON ({e.Message}): {Trim(Encoding.UTF8.GetString(bytes))}",
                what, (int)response.StatusCode, null, e);
        }
    }

    private void Wait(int attempt, TimeSpan? retryAfter, string what, string why)
    {
        // urllib3's schedule, which MLflow uses: no wait before the first retry, then factor × 2^(n-1), capped, plus jitter.
        var seconds = attempt == 0 ? 0 : _settings.BackoffFactor * Math.Pow(2, attempt);
        seconds = Math.Min(seconds, _settings.MaxBackoff.TotalSeconds);
        if (retryAfter is { } after) seconds = Math.Max(seconds, Math.Min(after.TotalSeconds, _settings.MaxBackoff.TotalSeconds));
        seconds += Random.Shared.NextDouble() * _settings.BackoffJitter;
        Retrying?.Invoke($"{what} on {Endpoint.Display}: attempt {attempt + 1} of {_settings.MaxRetries + 1} failed ({why}); retrying in {seconds:0.###} s.");
        if (seconds > 0) Thread.Sleep(TimeSpan.FromSeconds(seconds));
    }

    private static HttpContent JsonContent(byte[] json)
    {
        var content = new ByteArrayContent(json);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private static void ConfigureTls(SocketsHttpHandler handler, RestClientSettings settings)
    {
        if (settings.InsecureTls)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
            return;
        }
        if (settings.ServerCertPath is not { } path) return;
        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPemFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw TrackingException.InvalidParameter(
                $"{RestClientSettings.ServerCertPathVariable} names '{path}', which is not a readable PEM file of CA certificates: {e.Message}");
        }
        if (roots.Count == 0)
            throw TrackingException.InvalidParameter($"{RestClientSettings.ServerCertPathVariable} names '{path}', which holds no PEM certificate.");
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
        {
            // The host name must still match; only the trust anchors change (requests' verify=<CA bundle>).
            if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
                return false;
            using var custom = new X509Chain();
            custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            custom.ChainPolicy.CustomTrustStore.AddRange(roots);
            custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            if (chain is not null)
            {
                foreach (var element in chain.ChainElements) custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
            return custom.Build(certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
        };
    }

    private static byte[] ReadAll(Stream stream)
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    private static string ReadSnippet(HttpResponseMessage response)
    {
        try
        {
            using var stream = response.Content.ReadAsStream();
            var bytes = new byte[64 * 1024];
            var total = 0;
            int read;
            while (total < bytes.Length && (read = stream.Read(bytes, total, bytes.Length - total)) > 0) total += read;
            return Encoding.UTF8.GetString(bytes, 0, total);
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            return "";
        }
    }

    private static string Trim(string text)
    {
        text = text.Trim();
        return text.Length <= SnippetLength ? text : text[..SnippetLength] + "…";
    }

    /// <summary>The exception's message with its inner causes (".NET: Connection refused (127.0.0.1:5000)").</summary>
    private static string Describe(Exception e)
    {
        var parts = new List<string>();
        for (var current = e; current is not null; current = current.InnerException)
        {
            if (!parts.Contains(current.Message)) parts.Add(current.Message);
        }
        return string.Join(": ", parts).TrimEnd('.');
    }
}
