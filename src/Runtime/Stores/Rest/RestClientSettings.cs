using System.Globalization;

namespace Qlib.Tracked.Stores.Rest;

/// <summary>
/// How the REST store talks to a tracking server: credentials, TLS and retries, with the meanings MLflow's Python
/// client gives its environment variables (<see cref="FromEnvironment"/>).
/// Immutable (init-only); thread-safe.
/// </summary>
public sealed record RestClientSettings
{
    /// <summary>Environment variable with the HTTP basic auth user.</summary>
    public const string UsernameVariable = "MLFLOW_TRACKING_USERNAME";
    /// <summary>Environment variable with the HTTP basic auth password.</summary>
    public const string PasswordVariable = "MLFLOW_TRACKING_PASSWORD";
    /// <summary>Environment variable with the bearer token.</summary>
    public const string TokenVariable = "MLFLOW_TRACKING_TOKEN";
    /// <summary>Environment variable that, when <c>true</c>, turns server certificate checks off.</summary>
    public const string InsecureTlsVariable = "MLFLOW_TRACKING_INSECURE_TLS";
    /// <summary>Environment variable with a CA bundle (PEM path) to trust for the server's certificate.</summary>
    public const string ServerCertPathVariable = "MLFLOW_TRACKING_SERVER_CERT_PATH";
    /// <summary>Environment variable with the number of retries of a failed request.</summary>
    public const string MaxRetriesVariable = "MLFLOW_HTTP_REQUEST_MAX_RETRIES";
    /// <summary>Environment variable with the exponential backoff factor between retries, in seconds.</summary>
    public const string BackoffFactorVariable = "MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR";
    /// <summary>Environment variable with the random jitter added to each backoff, in seconds.</summary>
    public const string BackoffJitterVariable = "MLFLOW_HTTP_REQUEST_BACKOFF_JITTER";
    /// <summary>Environment variable with the per-request timeout, in seconds.</summary>
    public const string TimeoutVariable = "MLFLOW_HTTP_REQUEST_TIMEOUT";

    /// <summary>HTTP basic auth user (with <see cref="Password"/>); basic auth wins over <see cref="Token"/>, as in MLflow.</summary>
    public string? Username { get; init; }

    /// <summary>HTTP basic auth password (with <see cref="Username"/>).</summary>
    public string? Password { get; init; }

    /// <summary>Sent as <c>Authorization: Bearer …</c> when no user and password are set.</summary>
    public string? Token { get; init; }

    /// <summary>Accept any server certificate (MLflow's <c>MLFLOW_TRACKING_INSECURE_TLS=true</c>).</summary>
    public bool InsecureTls { get; init; }

    /// <summary>A PEM file of the CA certificate(s) the server's certificate must chain to, instead of the system's.</summary>
    public string? ServerCertPath { get; init; }

    /// <summary>Retries after the first attempt (MLflow's default 5).</summary>
    public int MaxRetries { get; init; } = 5;

    /// <summary>Retry n waits <c>factor × 2^(n-1)</c> seconds, the first retry none (urllib3's backoff, MLflow's default factor 2).</summary>
    public double BackoffFactor { get; init; } = 2;

    /// <summary>Up to this many seconds are added at random to each wait (MLflow's default 1).</summary>
    public double BackoffJitter { get; init; } = 1;

    /// <summary>No single wait is longer than this (urllib3's 120 s).</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>How long one attempt may take to connect and answer (MLflow's default 120 s).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>
    /// The settings MLflow's environment variables give (<paramref name="getVariable"/> reads them; the process
    /// environment when null). A variable that does not parse is refused with INVALID_PARAMETER_VALUE naming it and its
    /// rule (a credential's value is never repeated).
    /// </summary>
    public static RestClientSettings FromEnvironment(Func<string, string?>? getVariable = null)
    {
        getVariable ??= Environment.GetEnvironmentVariable;
        var defaults = new RestClientSettings();
        return new RestClientSettings
        {
            Username = NonEmpty(getVariable(UsernameVariable)),
            Password = NonEmpty(getVariable(PasswordVariable)),
            Token = NonEmpty(getVariable(TokenVariable)),
            InsecureTls = ParseBool(getVariable, InsecureTlsVariable),
            ServerCertPath = NonEmpty(getVariable(ServerCertPathVariable)),
            MaxRetries = (int)ParseNumber(getVariable, MaxRetriesVariable, defaults.MaxRetries, "a whole number of retries, 0 or more", v => v == Math.Floor(v) && v <= 100),
            BackoffFactor = ParseNumber(getVariable, BackoffFactorVariable, defaults.BackoffFactor, "a number of seconds, 0 or more", v => v <= 3600),
            BackoffJitter = ParseNumber(getVariable, BackoffJitterVariable, defaults.BackoffJitter, "a number of seconds, 0 or more", v => v <= 3600),
            Timeout = TimeSpan.FromSeconds(ParseNumber(getVariable, TimeoutVariable, defaults.Timeout.TotalSeconds, "a number of seconds above 0", v => v > 0 && v <= 86_400)),
        };
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static bool ParseBool(Func<string, string?> getVariable, string name)
    {
        var text = getVariable(name)?.Trim();
        if (string.IsNullOrEmpty(text)) return false;
        // MLflow's _EnvironmentVariable for bools: "true"/"1" and "false"/"0", case-insensitive.
        if (text.Equals("true", StringComparison.OrdinalIgnoreCase) || text == "1") return true;
        if (text.Equals("false", StringComparison.OrdinalIgnoreCase) || text == "0") return false;
        throw TrackingException.InvalidParameter($"The environment variable {name}='{text}' is not a boolean: write true, false, 1 or 0.");
    }

    private static double ParseNumber(Func<string, string?> getVariable, string name, double fallback, string rule, Func<double, bool> inRange)
    {
        var text = getVariable(name)?.Trim();
        if (string.IsNullOrEmpty(text)) return fallback;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) && value >= 0 && inRange(value))
            return value;
        throw TrackingException.InvalidParameter($"The environment variable {name}='{text}' is not {rule} (within a sane bound).");
    }
}
