using System.Security.Cryptography;
using System.Text;

namespace Qlib.Tracked.Web.Server;

/// <summary>
/// The HTTP basic users and bearer tokens <c>qtrack server</c> accepts: what MLflow's clients send from
/// <c>MLFLOW_TRACKING_USERNAME</c>/<c>MLFLOW_TRACKING_PASSWORD</c> (basic) or <c>MLFLOW_TRACKING_TOKEN</c> (bearer).
/// Immutable; thread-safe.
/// </summary>
public sealed class ServerCredentials
{
    /// <summary>Server-side variable naming the one basic user (with <see cref="PasswordVariable"/>).</summary>
    public const string UsernameVariable = "QTRACK_SERVER_USERNAME";
    /// <summary>Server-side variable holding <see cref="UsernameVariable"/>'s password.</summary>
    public const string PasswordVariable = "QTRACK_SERVER_PASSWORD";
    /// <summary>Server-side variable holding one accepted bearer token.</summary>
    public const string TokenVariable = "QTRACK_SERVER_TOKEN";

    private readonly Dictionary<string, byte[]> _users;
    private readonly List<byte[]> _tokens;

    /// <summary>Users (name → password) and bearer tokens.</summary>
    public ServerCredentials(IReadOnlyDictionary<string, string> users, IReadOnlyList<string> tokens)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(tokens);
        _users = users.ToDictionary(u => u.Key, u => Encoding.UTF8.GetBytes(u.Value), StringComparer.Ordinal);
        _tokens = [.. tokens.Select(Encoding.UTF8.GetBytes)];
    }

    /// <summary>True when at least one user or token is configured.</summary>
    public bool Any => _users.Count > 0 || _tokens.Count > 0;

    /// <summary>
    /// Reads a credentials file: one entry per line, <c>USER:PASSWORD</c> for a basic user or <c>bearer:TOKEN</c>
    /// for a token; blank lines and lines starting with <c>#</c> are skipped. Throws INVALID_PARAMETER_VALUE naming
    /// the file and line of a malformed entry (never its content: it may hold a secret).
    /// </summary>
    public static ServerCredentials Load(string? file, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var users = new Dictionary<string, string>(StringComparer.Ordinal);
        var tokens = new List<string>();
        if (file is not null)
        {
            string[] lines;
            try
            {
                lines = File.ReadAllLines(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw TrackingException.InvalidParameter($"Cannot read the credentials file '{file}': {e.Message}");
            }
            for (var i = 0; i < lines.Length; i++)
            {
                var line = lines[i].Trim();
                if (line.Length == 0 || line.StartsWith('#')) continue;
                var colon = line.IndexOf(':');
                if (colon <= 0 || colon == line.Length - 1)
                    throw TrackingException.InvalidParameter(
                        $"The credentials file '{file}', line {i + 1}, is not 'USER:PASSWORD' or 'bearer:TOKEN' (both parts non-empty).");
                var name = line[..colon];
                var secret = line[(colon + 1)..];
                if (name == "bearer") tokens.Add(secret);
                else if (!users.TryAdd(name, secret))
                    throw TrackingException.InvalidParameter($"The credentials file '{file}', line {i + 1}, repeats the user '{name}'.");
            }
        }
        var user = environment(UsernameVariable);
        var password = environment(PasswordVariable);
        if (!string.IsNullOrEmpty(user) || !string.IsNullOrEmpty(password))
        {
            if (string.IsNullOrEmpty(user) || string.IsNullOrEmpty(password))
                throw TrackingException.InvalidParameter($"{UsernameVariable} and {PasswordVariable} go together: one of them is set and the other is empty.");
            users[user] = password;
        }
        if (environment(TokenVariable) is { Length: > 0 } token) tokens.Add(token);
        return new ServerCredentials(users, tokens);
    }

    /// <summary>Whether an <c>Authorization</c> header value names a configured user or token (compared in constant time).</summary>
    public bool Accepts(string? authorization)
    {
        if (string.IsNullOrEmpty(authorization)) return false;
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var given = Encoding.UTF8.GetBytes(authorization[7..].Trim());
            var match = false;
            foreach (var token in _tokens) match |= CryptographicOperations.FixedTimeEquals(given, token);
            return match;
        }
        if (!authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)) return false;
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(authorization[6..].Trim()));
        }
        catch (FormatException)
        {
            return false;
        }
        var colon = decoded.IndexOf(':');
        if (colon < 0 || !_users.TryGetValue(decoded[..colon], out var password)) return false;
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(decoded[(colon + 1)..]), password);
    }
}
